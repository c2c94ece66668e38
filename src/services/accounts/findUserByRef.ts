// A user named the way Bloom clients name one (`user_id`): the user's EUID or
// their subject (identity-provider subject, or the e-mail of a local user).
import type { Tx } from '../../db/prisma.js';
import { AppError, notFound } from '../../errors/index.js';

type UserReader = Pick<Tx, 'user'>;

/** The trimmed reference; blank → 400 "Invalid user_id" (Bloom §1.14). */
export function userRef(raw: string): string {
  const ref = raw.trim();
  if (!ref) throw new AppError('BAD_REQUEST', 'Invalid user_id', 'invalid_user_id');
  return ref;
}

export async function findUserByRef(db: UserReader, raw: string) {
  const ref = userRef(raw);
  const row = (await db.user.findUnique({ where: { euid: ref } })) ?? (await db.user.findUnique({ where: { subject: ref } }));
  if (!row) throw notFound('User', ref);
  return row;
}
