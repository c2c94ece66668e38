import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { badInput, conflict, notFound } from '../../errors/index.js';
import { PREFIX } from '../../domain/euid.js';
import { mintEuid } from '../mintEuid.js';
import { diffFields, recordChange } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { CreateServiceAccount, UpdateServiceAccount, type CreateServiceAccountInput, type UpdateServiceAccountInput } from './schemas.js';

const audited = (a: { name: string; role: string; groups: string[]; active: boolean }) => ({ name: a.name, role: a.role, groups: a.groups, active: a.active });

export async function createServiceAccount(tx: Tx, actor: Actor, raw: CreateServiceAccountInput & { bootstrap?: boolean }) {
  const input = parseInput(CreateServiceAccount, raw);
  if (await tx.serviceAccount.findUnique({ where: { name: input.name } })) {
    throw conflict(`A service account named "${input.name}" already exists`, 'service_account_exists');
  }
  const row = await tx.serviceAccount.create({
    data: { euid: await mintEuid(tx, PREFIX.auth), name: input.name, role: input.role, groups: input.groups, bootstrap: raw.bootstrap ?? false },
  });
  await recordChange(tx, actor, { operation: 'createServiceAccount', entityType: 'service_account', entityEuid: row.euid, changes: diffFields({}, audited(row)), events: [] });
  return row;
}

export async function findServiceAccount(tx: Tx, euid: string) {
  const row = await tx.serviceAccount.findUnique({ where: { euid } });
  if (!row) throw notFound('Service account', euid);
  return row;
}

/** Role and group changes apply to every key at once; disabling also revokes every key. */
export async function updateServiceAccount(tx: Tx, actor: Actor, raw: UpdateServiceAccountInput) {
  const input = parseInput(UpdateServiceAccount, raw);
  const before = await findServiceAccount(tx, input.euid);
  if (before.bootstrap) {
    throw badInput('The bootstrap account is managed by LABGRAPH_BOOTSTRAP_ADMIN_KEY; restart without it to revoke it', [{ path: ['id'], message: 'bootstrap account' }]);
  }
  const after = await tx.serviceAccount.update({
    where: { id: before.id },
    data: { role: input.role, groups: input.groups, active: input.active },
  });
  if (before.active && !after.active) {
    await tx.apiKey.updateMany({ where: { accountId: after.id, revokedAt: null }, data: { revokedAt: new Date() } });
  }
  const changes = diffFields(audited(before), audited(after));
  await recordChange(tx, actor, { operation: 'updateServiceAccount', entityType: 'service_account', entityEuid: after.euid, changes, events: [] });
  return after;
}
