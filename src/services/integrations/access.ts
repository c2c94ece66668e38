// Who may use the integration routes (bioAF §2): service-account API keys only
// (the bootstrap admin key is one), each route gated by a labgraph permission —
// `*:view` → objects:read, `*:create` / `*:edit` → objects:write — so the role
// is checked before the key's scopes (403 role_missing, then key_scope_missing).
import type { Principal } from '../../auth/actor.js';
import { requirePermission } from '../../auth/authorize.js';
import type { Permission } from '../../auth/permissions.js';
import { AppError } from '../../errors/index.js';

export const INTEGRATION_PERMISSION = { view: 'objects:read', create: 'objects:write', edit: 'objects:write' } as const satisfies Record<string, Permission>;

const KEY_SOURCES = new Set<Principal['authSource']>(['api_key', 'bootstrap', 'system']);

export function requireIntegrationAccess(p: Principal, perm: Permission): void {
  if (!KEY_SOURCES.has(p.authSource)) {
    throw new AppError('UNAUTHENTICATED', 'The integration routes take a service-account API key, not a user credential', 'api_key_required');
  }
  requirePermission(p, perm);
}
