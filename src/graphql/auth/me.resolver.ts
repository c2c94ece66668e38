import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { Principal } from './principal.type.js';
import { describePrincipal } from '../../auth/describePrincipal.js';

@Resolver()
export class MeResolver {
  @Query(() => Principal, { description: 'The caller, as the gateway resolved their credential. Needs no permission.' })
  me(@Ctx() ctx: RequestContext): Principal {
    return Object.assign(new Principal(), describePrincipal(ctx.actor));
  }
}
