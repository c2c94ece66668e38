// @Authorized('perm', …) on a root field: every listed permission is required.
// Runs only on the fields that carry it, never as a global middleware.
import type { AuthChecker } from 'type-graphql';
import type { RequestContext } from './context.js';
import { requirePermission } from '../auth/authorize.js';
import { isPermission } from '../auth/permissions.js';

export const authChecker: AuthChecker<RequestContext> = ({ context }, permissions) => {
  for (const p of permissions) {
    if (!isPermission(p)) throw new Error(`unknown permission in @Authorized: ${p}`);
    requirePermission(context.actor, p);
  }
  return true;
};
