import type { Principal } from './actor.js';
import { effectivePermissions } from './permissions.js';

/** The resolved principal as `me` (GraphQL) and `GET /api/v1/auth/me` (REST) show it. */
export function describePrincipal(a: Principal) {
  return {
    id: a.id,
    kind: a.kind,
    name: a.name,
    role: a.role,
    roles: a.role ? [a.role] : [],
    groups: a.groups,
    permissions: effectivePermissions(a),
    scopes: a.scopes,
    authSource: a.authSource,
    credentialId: a.credentialId,
    tokenScope: a.tokenScope ?? null,
  };
}
