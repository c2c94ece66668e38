// Token listings Bloom's REST surface needs beyond listUserTokens: every user's
// tokens (ADMIN, bloom-api.md §1.14) and how often each token was used.
import type { Database } from '../../db/database.js';
import { findUserByRef } from './findUserByRef.js';

/** Every user's tokens, oldest first; `userRef` (EUID or subject) narrows to one user. */
export async function listAllUserTokens(db: Database, userRef?: string) {
  const where = userRef === undefined ? {} : { userId: (await findUserByRef(db.prisma, userRef)).id };
  const rows = await db.prisma.userToken.findMany({ where, include: { user: { select: { euid: true } } }, orderBy: { id: 'asc' } });
  return rows.map(({ user, ...r }) => ({ ...r, userEuid: user.euid }));
}

/** Recorded uses per token (keyed by the token's internal row id, which callers never emit). */
export async function countTokenUses(db: Database, tokenRowIds: number[]): Promise<Map<number, number>> {
  if (!tokenRowIds.length) return new Map();
  const groups = await db.prisma.tokenUsage.groupBy({ by: ['tokenId'], where: { tokenId: { in: tokenRowIds } }, _count: { _all: true } });
  return new Map(groups.map((g) => [g.tokenId, g._count._all]));
}
