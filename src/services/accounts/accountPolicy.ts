// Bloom's account rules (bloom-api.md §0.3, §1.13, §1.14): who counts as an admin,
// who may mint user tokens, and which token scopes a caller may mint.
import type { Principal } from '../../auth/actor.js';
import { denial, forbidden } from '../../auth/authorize.js';
import { API_GROUP, minRole } from '../../auth/permissions.js';
import { TOKEN_SCOPES, isTokenScope, type TokenScope } from '../../auth/userTokens.js';

/** accounts:admin, reported with Bloom's words ("Admin privileges required"). */
export function requireAdminPrivileges(p: Principal): void {
  const err = denial(p, 'accounts:admin');
  if (err) throw forbidden('Admin privileges required', err.detail);
}

/** User tokens belong to people: a service account gets the same error as in GraphQL's createUserToken. */
export function requireUserActor(p: Principal): void {
  if (p.kind !== 'user') throw forbidden('Service accounts use API keys, not user tokens', 'user_required');
}

/** A non-admin caller outside API_ACCESS may not mint tokens. */
export function requireApiAccess(p: Principal): void {
  if (p.role !== 'ADMIN' && !p.groups.includes(API_GROUP)) throw forbidden(`User is not in ${API_GROUP} group`, 'group_missing');
}

/** READ_ONLY may mint internal_ro; READ_WRITE also internal_rw; ADMIN every scope: a token never caps above its minter. */
export function allowedTokenScopes(p: Principal): TokenScope[] {
  return (Object.keys(TOKEN_SCOPES) as TokenScope[]).filter((s) => minRole(p.role, TOKEN_SCOPES[s]) === TOKEN_SCOPES[s]);
}

/** The scope, normalised as Bloom does (trimmed, lower case), or 403 when the caller may not mint it. */
export function requireTokenScopeAllowed(p: Principal, raw: string): TokenScope {
  const scope = raw.trim().toLowerCase();
  if (!isTokenScope(scope) || !allowedTokenScopes(p).includes(scope)) {
    throw forbidden(`Scope '${scope}' is not allowed for actor role set`, 'scope_not_allowed');
  }
  return scope;
}
