import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { Principal } from './principal.type.js';
import { effectivePermissions } from '../../auth/permissions.js';

@Resolver()
export class MeResolver {
  @Query(() => Principal)
  me(@Ctx() ctx: RequestContext): Principal {
    const a = ctx.actor;
    return Object.assign(new Principal(), {
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
    });
  }
}
