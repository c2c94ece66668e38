// Bloom's "atlas guard" (§0.3, §1.11): the credential must be a Bloom user token
// (401 otherwise), its user in ENABLE_ATLAS_API (403), then labgraph's own
// permission rule (objects:read on reads, objects:write on every mutation: Bloom
// has no write check here, a documented divergence).
import type { Principal } from '../../auth/actor.js';
import type { Permission } from '../../auth/permissions.js';
import { requireGroup, requirePermission } from '../../auth/authorize.js';
import { AppError } from '../../errors/index.js';

export const ATLAS_GROUP = 'ENABLE_ATLAS_API';
const EXTERNAL_TOKEN_REQUIRED = 'External endpoint requires Bloom API bearer token';

export function requireAtlasAccess(p: Principal, perm: Permission): void {
  // Bloom words the detail itself (not a snake_case code): the contract's text is the detail.
  if (p.authSource !== 'user_token') throw new AppError('UNAUTHENTICATED', EXTERNAL_TOKEN_REQUIRED, EXTERNAL_TOKEN_REQUIRED);
  requireGroup(p, ATLAS_GROUP);
  requirePermission(p, perm);
}
