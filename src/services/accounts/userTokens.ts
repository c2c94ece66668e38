import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { can, forbidden } from '../../auth/authorize.js';
import { mintUserToken } from '../../auth/credentials.js';
import { notFound } from '../../errors/index.js';
import { recordChange } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { CreateUserToken, RevokeUserToken, type CreateUserTokenInput, type RevokeUserTokenInput } from './schemas.js';
import { ensureSelfUser, findUser } from './users.js';
import { requireTokenScopeAllowed } from './accountPolicy.js';

const HOUR_MS = 3_600_000;

/** A user mints their own tokens; ADMIN (accounts:admin) may mint for anyone. */
async function tokenOwner(tx: Tx, actor: Actor, userEuid: string | undefined) {
  if (userEuid) {
    const owner = await findUser(tx, userEuid);
    if (owner.subject === actor.id || can(actor, 'accounts:admin')) return owner;
    throw forbidden('Only ADMIN may manage tokens of another user', 'role_missing');
  }
  if (actor.kind !== 'user') throw forbidden('Service accounts use API keys, not user tokens', 'user_required');
  return ensureSelfUser(tx, actor);
}

export async function createUserToken(tx: Tx, actor: Actor, raw: CreateUserTokenInput & { defaultHours: number }) {
  const input = parseInput(CreateUserToken, raw);
  requireTokenScopeAllowed(actor, input.scope); // both doors: a token never caps above its minter
  const owner = await tokenOwner(tx, actor, input.userEuid);
  const expiresAt = input.expiresAt ?? new Date(Date.now() + (input.expiresInHours ?? raw.defaultHours) * HOUR_MS);
  const minted = mintUserToken();
  const row = await tx.userToken.create({
    data: { tokenId: minted.tokenId, userId: owner.id, name: input.name, scope: input.scope, hash: minted.hash, expiresAt },
  });
  await recordChange(tx, actor, {
    operation: 'createUserToken',
    entityType: 'user_token',
    entityEuid: row.tokenId,
    changes: { name: { old: null, new: row.name }, scope: { old: null, new: row.scope }, user: { old: null, new: owner.euid }, expiresAt: { old: null, new: expiresAt } },
    events: [],
  });
  return { token: { ...row, userEuid: owner.euid }, secret: minted.token };
}

export async function revokeUserToken(tx: Tx, actor: Actor, raw: RevokeUserTokenInput) {
  const input = parseInput(RevokeUserToken, raw);
  const row = await tx.userToken.findUnique({ where: { tokenId: input.tokenId }, include: { user: true } });
  // Someone else's token is "not found" to a non-admin: no existence leak.
  if (!row || (row.user.subject !== actor.id && !can(actor, 'accounts:admin'))) throw notFound('Token', input.tokenId);
  if (row.revokedAt) return { ...row, userEuid: row.user.euid };
  const after = await tx.userToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
  await recordChange(tx, actor, { operation: 'revokeUserToken', entityType: 'user_token', entityEuid: row.tokenId, changes: { revokedAt: { old: null, new: after.revokedAt } }, events: [] });
  return { ...after, userEuid: row.user.euid };
}
