import type { Principal, Role } from './actor.js';

// Permissions are `<resource>:<action>`; a role grants a set, a credential's scopes cap it.
export const PERMISSIONS = [
  'objects:read',
  'objects:write',
  /** Hard deletes (Bloom: "Admin privileges required for hard delete"). */
  'objects:admin',
  'lineage:read',
  'lineage:write',
  'audit:read',
  'accounts:admin',
  'webhooks:admin',
  'tokens:self',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['READ_ONLY', 'READ_WRITE', 'ADMIN'] as const satisfies readonly Role[];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  READ_ONLY: ['objects:read', 'lineage:read', 'tokens:self'],
  READ_WRITE: ['objects:read', 'objects:write', 'lineage:read', 'lineage:write', 'tokens:self'],
  ADMIN: PERMISSIONS,
};

/** Groups the gateway knows; membership gates surfaces, not single operations. */
export const GROUPS = ['API_ACCESS', 'ENABLE_ATLAS_API', 'ENABLE_URSA_API', 'bloom-rnd', 'bloom-clinical', 'bloom-auditor'] as const;
/** Programmatic credentials (API keys, user tokens) need this group for every permission. */
export const API_GROUP = 'API_ACCESS';

export function isPermission(s: string): s is Permission {
  return (PERMISSIONS as readonly string[]).includes(s);
}

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && (ROLES as readonly string[]).includes(s);
}

const RANK: Record<Role, number> = { READ_ONLY: 0, READ_WRITE: 1, ADMIN: 2 };

/** The lower of two roles (a token's scope caps its owner's role). */
export function minRole(a: Role | null, b: Role | null): Role | null {
  if (!a || !b) return null;
  return RANK[a] <= RANK[b] ? a : b;
}

export function rolePermissions(role: Role | null): readonly Permission[] {
  return role ? ROLE_PERMISSIONS[role] : [];
}

/** Role ceiling ∩ credential scopes. */
export function effectivePermissions(p: Principal): Permission[] {
  const fromRole = rolePermissions(p.role);
  return p.scopes === null ? [...fromRole] : fromRole.filter((perm) => p.scopes?.includes(perm));
}
