import type { Principal, Role } from './actor.js';

// Permissions are `<resource>:<action>`; a role grants a set, a credential's scopes cap it.
export const PERMISSIONS = [
  'objects:read',
  'objects:write',
  'objects:admin',
  'lineage:read',
  'lineage:write',
  'audit:read',
  'keys:admin',
  'webhooks:admin',
  'tokens:self',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  READ_ONLY: ['objects:read', 'lineage:read', 'tokens:self'],
  READ_WRITE: ['objects:read', 'objects:write', 'lineage:read', 'lineage:write', 'tokens:self'],
  ADMIN: PERMISSIONS,
};

export function rolePermissions(role: Role | null): readonly Permission[] {
  return role ? ROLE_PERMISSIONS[role] : [];
}

/** Role ceiling ∩ credential scopes. */
export function effectivePermissions(p: Principal): Permission[] {
  const fromRole = rolePermissions(p.role);
  return p.scopes === null ? [...fromRole] : fromRole.filter((perm) => p.scopes?.includes(perm));
}
