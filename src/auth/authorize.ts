// Authorization: role ceiling, then credential scopes, then group membership.
// The detail names what is missing so a caller can fix its key, not guess.
import { AppError } from '../errors/index.js';
import type { Principal } from './actor.js';
import { API_GROUP, rolePermissions, type Permission } from './permissions.js';

export function forbidden(message: string, detail: string): AppError {
  return new AppError('FORBIDDEN', message, detail);
}

/** Why `p` may not use `perm`, or null when it may. */
export function denial(p: Principal, perm: Permission): AppError | null {
  if (!p.role) return forbidden(`No role assigned: ${perm} required`, 'role_missing');
  if (!rolePermissions(p.role).includes(perm)) return forbidden(`Permission ${perm} required: role ${p.role} does not grant it`, 'role_missing');
  if (p.scopes !== null && !p.scopes.includes(perm)) return forbidden(`Permission ${perm} required: the API key lacks the scope`, 'key_scope_missing');
  const programmatic = p.authSource === 'api_key' || p.authSource === 'user_token';
  if (programmatic && !p.groups.includes(API_GROUP)) return forbidden(`Group membership required: ${API_GROUP}`, 'group_missing');
  return null;
}

export function requirePermission(p: Principal, perm: Permission): void {
  const err = denial(p, perm);
  if (err) throw err;
}

export function can(p: Principal, perm: Permission): boolean {
  return denial(p, perm) === null;
}

export function requireGroup(p: Principal, group: string): void {
  if (p.authSource !== 'system' && p.authSource !== 'bootstrap' && !p.groups.includes(group)) {
    throw forbidden(`Group membership required: ${group}`, 'group_missing');
  }
}
