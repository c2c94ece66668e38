import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { badInput, notFound } from '../../errors/index.js';
import { mintApiKey } from '../../auth/credentials.js';
import { isRole, rolePermissions } from '../../auth/permissions.js';
import { recordChange } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { findServiceAccount } from './serviceAccounts.js';
import { CreateApiKey, RevokeApiKey, type CreateApiKeyInput, type RevokeApiKeyInput } from './schemas.js';

/** Mints a key; the token is in the result once and never stored. */
export async function createApiKey(tx: Tx, actor: Actor, raw: CreateApiKeyInput) {
  const input = parseInput(CreateApiKey, raw);
  const account = await findServiceAccount(tx, input.accountEuid);
  if (!account.active) throw badInput('The service account is disabled', [{ path: ['accountEuid'], message: 'disabled' }]);
  // A new key inherits one scope per permission of the account's role.
  const scopes = input.scopes ?? [...rolePermissions(isRole(account.role) ? account.role : null)];
  const minted = mintApiKey();
  const row = await tx.apiKey.create({
    data: { keyId: minted.keyId, accountId: account.id, name: input.name, scopes, hash: minted.hash, createdBy: actor.id },
  });
  await recordChange(tx, actor, {
    operation: 'createApiKey',
    entityType: 'api_key',
    entityEuid: `lgk_${row.keyId}`,
    changes: { name: { old: null, new: row.name }, scopes: { old: null, new: scopes }, account: { old: null, new: account.euid } },
    events: [],
  });
  return { key: { ...row, accountEuid: account.euid }, token: minted.token };
}

/** Idempotent: revoking a revoked key changes nothing and writes no second audit row. */
export async function revokeApiKey(tx: Tx, actor: Actor, raw: RevokeApiKeyInput) {
  const input = parseInput(RevokeApiKey, raw);
  const keyId = input.keyId.slice(4);
  const row = await tx.apiKey.findUnique({ where: { keyId }, include: { account: true } });
  if (!row || row.account.bootstrap) throw notFound('API key', input.keyId);
  if (row.revokedAt) return { ...row, accountEuid: row.account.euid };
  const after = await tx.apiKey.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
  await recordChange(tx, actor, {
    operation: 'revokeApiKey',
    entityType: 'api_key',
    entityEuid: input.keyId,
    changes: { revokedAt: { old: null, new: after.revokedAt } },
    events: [],
  });
  return { ...after, accountEuid: row.account.euid };
}
