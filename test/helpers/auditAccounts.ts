// Service accounts and API keys minted over GraphQL for the audit, rate-limit and
// bootstrap tests (as the bootstrap ADMIN unless other headers are given).
import { randomBytes } from 'node:crypto';
import { ok, type TestGateway } from './gateway.js';

export interface MintedKey {
  /** The whole bearer token lgk_<id>.<secret>, as printed once at mint. */
  token: string;
  /** lgk_<key id>: the public part. */
  id: string;
  /** EUID of the service account holding the key. */
  accountId: string;
  accountName: string;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function createAccount(
  t: TestGateway,
  input: { name: string; role: string; groups?: string[] },
  headers: Record<string, string> = {},
): Promise<{ id: string; name: string }> {
  const r = await t.gql<{ createServiceAccount: { id: string; name: string } }>(
    `mutation($input: CreateServiceAccountInput!) { createServiceAccount(input: $input) { id name } }`,
    { input },
    headers,
  );
  return ok(r).createServiceAccount;
}

export async function createKey(
  t: TestGateway,
  accountId: string,
  opts: { scopes?: string[]; name?: string } = {},
  headers: Record<string, string> = {},
): Promise<{ token: string; id: string }> {
  const r = await t.gql<{ createApiKey: { token: string; key: { id: string } } }>(
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { token key { id } } }`,
    { input: { accountId, ...opts } },
    headers,
  );
  const c = ok(r).createApiKey;
  return { token: c.token, id: c.key.id };
}

/** A new service account (unique name) with one API key. */
export async function mintKey(
  t: TestGateway,
  opts: { role: string; name?: string; scopes?: string[]; groups?: string[] },
  headers: Record<string, string> = {},
): Promise<MintedKey> {
  const name = opts.name ?? `acct-${randomBytes(4).toString('hex')}`;
  const account = await createAccount(t, { name, role: opts.role, ...(opts.groups ? { groups: opts.groups } : {}) }, headers);
  const key = await createKey(t, account.id, opts.scopes ? { scopes: opts.scopes } : {}, headers);
  return { token: key.token, id: key.id, accountId: account.id, accountName: account.name };
}
