import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { conflict, notFound } from '../../errors/index.js';
import { PREFIX } from '../../domain/euid.js';
import { mintEuid } from '../mintEuid.js';
import { diffFields, recordChange } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { CreateUser, UpdateUser, type CreateUserInput, type UpdateUserInput } from './schemas.js';

const audited = (u: { subject: string; email: string | null; name: string; role: string | null; groups: string[]; active: boolean }) =>
  ({ subject: u.subject, email: u.email, name: u.name, role: u.role, groups: u.groups, active: u.active });

export async function createUser(tx: Tx, actor: Actor, raw: CreateUserInput) {
  const input = parseInput(CreateUser, raw);
  const subject = input.subject ?? input.email!;
  if (await tx.user.findUnique({ where: { subject } })) throw conflict(`A user with subject "${subject}" already exists`, 'user_exists');
  const row = await tx.user.create({
    data: { euid: await mintEuid(tx, PREFIX.auth), subject, email: input.email ?? null, name: input.name, role: input.role, groups: input.groups },
  });
  await recordChange(tx, actor, { operation: 'createUser', entityType: 'user', entityEuid: row.euid, changes: diffFields({}, audited(row)), events: [] });
  return row;
}

export async function findUser(tx: Tx, euid: string) {
  const row = await tx.user.findUnique({ where: { euid } });
  if (!row) throw notFound('User', euid);
  return row;
}

/** Disabling a user makes every one of their tokens fail on the next request. */
export async function updateUser(tx: Tx, actor: Actor, raw: UpdateUserInput) {
  const input = parseInput(UpdateUser, raw);
  const before = await findUser(tx, input.euid);
  const after = await tx.user.update({
    where: { id: before.id },
    data: { name: input.name, role: input.role, groups: input.groups, active: input.active },
  });
  await recordChange(tx, actor, { operation: 'updateUser', entityType: 'user', entityEuid: after.euid, changes: diffFields(audited(before), audited(after)), events: [] });
  return after;
}

/**
 * The caller's own user row. A JWT user has none until they first manage tokens;
 * it is created then, and its role and groups follow the identity provider's claims.
 */
export async function ensureSelfUser(tx: Tx, actor: Actor) {
  const existing = await tx.user.findUnique({ where: { subject: actor.id } });
  if (existing) {
    if (actor.authSource !== 'jwt') return existing;
    return tx.user.update({ where: { id: existing.id }, data: { role: actor.role, groups: actor.groups, name: actor.name } });
  }
  if (actor.authSource !== 'jwt') throw notFound('User', actor.id);
  return tx.user.create({
    data: { euid: await mintEuid(tx, PREFIX.auth), subject: actor.id, name: actor.name, role: actor.role, groups: actor.groups },
  });
}
