// Self-service user tokens (Bloom-style). A user manages their own; ADMIN anyone's.
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { write } from '../../services/write.js';
import { createUserToken, revokeUserToken } from '../../services/accounts/userTokens.js';
import { listTokenUses, listUserTokens } from '../../services/accounts/readAccounts.js';
import { CreatedUserToken, TokenUse, UserToken } from './account.types.js';
import { CreateUserTokenInput } from './account.inputs.js';

@Resolver()
export class TokensResolver {
  @Authorized('tokens:self')
  @Query(() => [UserToken], { description: 'Your tokens (ADMIN: pass userId for anyone).' })
  async userTokens(@Arg('userId', () => ID, { nullable: true }) userId: string | undefined, @Ctx() ctx: RequestContext): Promise<UserToken[]> {
    return (await listUserTokens(ctx.db, ctx.actor, userId ?? undefined)).map(UserToken.from);
  }

  @Authorized('tokens:self')
  @Query(() => [TokenUse], { description: 'Recorded uses of one of your tokens, newest first.' })
  async userTokenUses(
    @Arg('tokenId', () => ID) tokenId: string,
    @Arg('last', () => Int, { nullable: true, defaultValue: 50 }) last: number,
    @Ctx() ctx: RequestContext,
  ): Promise<TokenUse[]> {
    return listTokenUses(ctx.db, ctx.actor, tokenId, last);
  }

  @Authorized('tokens:self')
  @Mutation(() => CreatedUserToken, { description: 'The secret is in this response only. Default lifetime 48 h.' })
  async createUserToken(@Arg('input', () => CreateUserTokenInput) input: CreateUserTokenInput, @Ctx() ctx: RequestContext): Promise<CreatedUserToken> {
    const { userId, ...rest } = input;
    const r = await write(ctx, 'createUserToken', { ...rest, userEuid: userId, defaultHours: ctx.config.auth.userTokenDefaultHours }, createUserToken, {
      secrets: (out) => [out.secret],
    });
    return { token: UserToken.from(r.token), secret: r.secret };
  }

  @Authorized('tokens:self')
  @Mutation(() => UserToken)
  async revokeUserToken(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<UserToken> {
    return UserToken.from(await write(ctx, 'revokeUserToken', { tokenId: id }, revokeUserToken));
  }
}
