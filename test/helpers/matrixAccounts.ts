// Account, key and token set-up for the auth tests, all through GraphQL as the
// bootstrap ADMIN (or whoever `as` names), plus a raw REST `GET /api/v1/auth/me`.
import { randomBytes } from 'node:crypto';
import { ok, type TestGateway } from './gateway.js';

export type Role = 'READ_ONLY' | 'READ_WRITE' | 'ADMIN';

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** A name no other test in the run uses. */
export const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/**
 * Gateway env for the auth tests: when the run has REDIS_URL, the gateway uses it
 * (rate limiter shared by instances) under a prefix of its own, so counters of
 * other test files running at the same time never leak into this one.
 */
export function authTestEnv(tag: string, prefix = `lgt-${tag}-${randomBytes(4).toString('hex')}:`): Record<string, string> {
  return process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: prefix } : {};
}

export interface Account {
  id: string;
  name: string;
  role: Role;
  groups: string[];
}

export interface MintedKey {
  id: string;
  token: string;
  scopes: string[];
  accountId: string;
}

export async function createAccount(t: TestGateway, role: Role, groups: string[] | undefined, as: Record<string, string> = {}): Promise<Account> {
  const input: Record<string, unknown> = { name: unique(`sa-${role.toLowerCase()}`), role };
  if (groups) input.groups = groups;
  const r = await t.gql<{ createServiceAccount: Account }>(
    `mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id name role groups } }`,
    { input },
    as,
  );
  return ok(r).createServiceAccount;
}

export async function mintKey(t: TestGateway, accountId: string, scopes?: string[], as: Record<string, string> = {}): Promise<MintedKey> {
  const r = await t.gql<{ createApiKey: { token: string; key: { id: string; scopes: string[]; accountId: string } } }>(
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { token key { id scopes accountId } } }`,
    { input: { accountId, name: unique('key'), ...(scopes ? { scopes } : {}) } },
    as,
  );
  const { token, key } = ok(r).createApiKey;
  return { id: key.id, token, scopes: key.scopes, accountId: key.accountId };
}

export async function revokeKey(t: TestGateway, id: string, as: Record<string, string> = {}): Promise<string> {
  const r = await t.gql<{ revokeApiKey: { id: string; revokedAt: string } }>(`mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`, { id }, as);
  return ok(r).revokeApiKey.revokedAt;
}

export async function createUser(t: TestGateway, role: Role, groups?: string[]): Promise<{ id: string; subject: string }> {
  const subject = unique('user');
  const r = await t.gql<{ createUser: { id: string; subject: string } }>(
    `mutation($input: CreateUserInput!) { createUser(input: $input) { id subject } }`,
    { input: { subject, name: subject, role, ...(groups ? { groups } : {}) } },
  );
  return ok(r).createUser;
}

export async function mintUserToken(t: TestGateway, userId: string, scope: 'internal_ro' | 'internal_rw' | 'admin'): Promise<{ id: string; secret: string }> {
  const r = await t.gql<{ createUserToken: { secret: string; token: { id: string } } }>(
    `mutation($input: CreateUserTokenInput!) { createUserToken(input: $input) { secret token { id } } }`,
    { input: { userId, scope, name: unique('tok') } },
  );
  const c = ok(r).createUserToken;
  return { id: c.token.id, secret: c.secret };
}

export interface RestResult {
  status: number;
  body: Record<string, any>;
  headers: Headers;
}

/** `GET <path>` on the REST door; `authorization` '' or undefined sends no header. */
export async function restGet(baseUrl: string, path: string, authorization?: string): Promise<RestResult> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization) headers.authorization = authorization;
  const res = await fetch(`${baseUrl}${path}`, { headers });
  const text = await res.text();
  let body: Record<string, any>;
  try {
    body = JSON.parse(text) as Record<string, any>;
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body, headers: res.headers };
}
