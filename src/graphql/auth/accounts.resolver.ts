// ADMIN management of service accounts, API keys and users: each mutation is one
// audited write through the shared services.
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { write } from '../../services/write.js';
import { createServiceAccount, updateServiceAccount } from '../../services/accounts/serviceAccounts.js';
import { createApiKey, revokeApiKey } from '../../services/accounts/apiKeys.js';
import { createUser, updateUser } from '../../services/accounts/users.js';
import { listApiKeys, listServiceAccounts, listUsers } from '../../services/accounts/readAccounts.js';
import { ApiKey, CreatedApiKey, ServiceAccount, User } from './account.types.js';
import { CreateApiKeyInput, CreateServiceAccountInput, CreateUserInput, UpdateServiceAccountInput, UpdateUserInput } from './account.inputs.js';

@Resolver()
export class AccountsResolver {
  @Authorized('accounts:admin')
  @Query(() => [ServiceAccount])
  async serviceAccounts(@Ctx() ctx: RequestContext): Promise<ServiceAccount[]> {
    return (await listServiceAccounts(ctx.db)).map(ServiceAccount.from);
  }

  @Authorized('accounts:admin')
  @Query(() => [ApiKey], { description: 'Keys of one account, or all keys; never secrets.' })
  async apiKeys(@Arg('accountId', () => ID, { nullable: true }) accountId: string | undefined, @Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    return (await listApiKeys(ctx.db, accountId ?? undefined)).map(ApiKey.from);
  }

  @Authorized('accounts:admin')
  @Query(() => [User])
  async users(@Ctx() ctx: RequestContext): Promise<User[]> {
    return (await listUsers(ctx.db)).map(User.from);
  }

  @Authorized('accounts:admin')
  @Mutation(() => ServiceAccount)
  async createServiceAccount(@Arg('input', () => CreateServiceAccountInput) input: CreateServiceAccountInput, @Ctx() ctx: RequestContext): Promise<ServiceAccount> {
    return ServiceAccount.from(await write(ctx, 'createServiceAccount', { ...input }, createServiceAccount));
  }

  @Authorized('accounts:admin')
  @Mutation(() => ServiceAccount, { description: 'Role and groups apply to every key at once; active: false revokes all keys.' })
  async updateServiceAccount(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateServiceAccountInput) input: UpdateServiceAccountInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ServiceAccount> {
    return ServiceAccount.from(await write(ctx, 'updateServiceAccount', { ...input, euid: id }, updateServiceAccount));
  }

  @Authorized('accounts:admin')
  @Mutation(() => CreatedApiKey, { description: 'The token is in this response only.' })
  async createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: RequestContext): Promise<CreatedApiKey> {
    const r = await write(ctx, 'createApiKey', { accountEuid: input.accountId, name: input.name, scopes: input.scopes }, createApiKey, {
      secrets: (out) => [out.token],
    });
    return { key: ApiKey.from(r.key), token: r.token };
  }

  @Authorized('accounts:admin')
  @Mutation(() => ApiKey, { description: 'Takes effect on the next request; revoking twice is a no-op.' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiKey> {
    return ApiKey.from(await write(ctx, 'revokeApiKey', { keyId: id }, revokeApiKey));
  }

  @Authorized('accounts:admin')
  @Mutation(() => User)
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: RequestContext): Promise<User> {
    return User.from(await write(ctx, 'createUser', { ...input }, createUser));
  }

  @Authorized('accounts:admin')
  @Mutation(() => User)
  async updateUser(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateUserInput) input: UpdateUserInput, @Ctx() ctx: RequestContext): Promise<User> {
    return User.from(await write(ctx, 'updateUser', { ...input, euid: id }, updateUser));
  }
}
