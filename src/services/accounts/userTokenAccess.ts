// Bloom's ownership rules for one user token (bloom-api.md §1.13): the owner or an
// ADMIN may revoke it or read its uses; anyone else gets 403, an unknown id 404.
import type { Tx } from '../../db/prisma.js';
import type { Database } from '../../db/database.js';
import type { Actor, Principal } from '../../auth/actor.js';
import { can, forbidden } from '../../auth/authorize.js';
import { notFound } from '../../errors/index.js';
import { listTokenUses } from './readAccounts.js';
import { revokeUserToken } from './userTokens.js';

type TokenReader = Pick<Tx, 'userToken'>;
type Action = 'revoke' | 'view usage for';

/** The token and its owner's EUID, when `actor` may act on it. */
export async function findAccessibleToken(db: TokenReader, actor: Principal, tokenId: string, action: Action) {
  const row = await db.userToken.findUnique({ where: { tokenId }, include: { user: { select: { euid: true, subject: true } } } });
  if (!row) throw notFound('Token', tokenId);
  if (row.user.subject !== actor.id && !can(actor, 'accounts:admin')) throw forbidden(`Cannot ${action} another user's token`, 'not_token_owner');
  const { user, ...token } = row;
  return { ...token, userEuid: user.euid };
}

/** Revoking twice answers the revoked token again (no second audit row: revokeUserToken is idempotent). */
export async function revokeAccessibleToken(tx: Tx, actor: Actor, input: { tokenId: string }) {
  await findAccessibleToken(tx, actor, input.tokenId, 'revoke');
  return revokeUserToken(tx, actor, { tokenId: input.tokenId });
}

/** Newest first, at most 500 (listTokenUses' ceiling). */
export async function listAccessibleTokenUses(db: Database, actor: Actor, tokenId: string, limit: number) {
  const token = await findAccessibleToken(db.prisma, actor, tokenId, 'view usage for');
  const uses = await listTokenUses(db, actor, tokenId, limit);
  return { token, uses };
}
