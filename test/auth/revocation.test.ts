// Revocation holds on the very next request, on every instance: two gateways
// share one database; changes are made on A and observed on B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, ok, startTestGateway, type GqlResult, type TestGateway } from '../helpers/gateway.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';
import { SAMPLE } from '../helpers/fixtures.js';
import { authTestEnv, bearer, createAccount, createUser, mintKey, mintUserToken, restGet, revokeKey, unique } from '../helpers/matrixAccounts.js';

let testDb: TestDatabase;
let a: TestGateway;
let b: TestGateway;

beforeAll(async () => {
  testDb = await freshDatabase();
  const env = authTestEnv('revocation'); // one Redis prefix for both instances, as one deployment
  a = await startTestGateway({ testDb, env });
  b = await startTestGateway({ testDb, env });
  expect(a.url).not.toBe(b.url);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await testDb?.drop();
});

const ME = `{ me { id role permissions authSource credentialId } }`;

/** 401 on both doors of `t` for `token`, with a detail among `details`. */
async function expectRejected(t: TestGateway, token: string, details: string[]) {
  const g = await t.gql(ME, {}, bearer(token));
  expect(g.status).toBe(401);
  expect(g.headers.get('www-authenticate')).toBe('Bearer');
  expect(g.data ?? null).toBeNull();
  expect(g.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(details).toContain(g.errors?.[0]?.extensions?.detail);
  const r = await restGet(t.url, '/api/v1/auth/me', `Bearer ${token}`);
  expect(r.status).toBe(401);
  expect(r.headers.get('www-authenticate')).toBe('Bearer');
  expect(details).toContain(r.body.detail);
}

async function expectAccepted(t: TestGateway, token: string, id: string) {
  expect(ok(await t.gql(ME, {}, bearer(token))).me.id).toBe(id);
  const r = await restGet(t.url, '/api/v1/auth/me', `Bearer ${token}`);
  expect(r.status).toBe(200);
  expect(r.body.id).toBe(id);
}

async function keysOf(t: TestGateway, accountId: string) {
  return ok(await t.gql<{ apiKeys: { id: string; revokedAt: string | null }[] }>(`query($a: ID) { apiKeys(accountId: $a) { id revokedAt } }`, { a: accountId })).apiKeys;
}

function createObject(t: TestGateway, token: string, externalId: string): Promise<GqlResult<Record<string, any>>> {
  return t.gql(`mutation($input: CreateObjectInput!) { createObject(input: $input) { id externalId } }`, { input: { templateCode: SAMPLE, externalId } }, bearer(token));
}

/** Raw response text of a GraphQL request, to search it for secrets. */
async function rawGql(t: TestGateway, query: string, variables: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...adminAuth }, body: JSON.stringify({ query, variables }) });
  expect(res.status).toBe(200);
  return res.text();
}

describe('revocation across instances', () => {
  it('a key revoked on instance A is refused by instance B on the next request', async () => {
    const acct = await createAccount(a, 'READ_WRITE', ['API_ACCESS']);
    const key = await mintKey(a, acct.id);
    const other = await mintKey(a, acct.id);
    await expectAccepted(b, key.token, acct.id);
    await expectAccepted(a, key.token, acct.id);

    const revokedAt = await revokeKey(a, key.id);
    expect(Number.isNaN(Date.parse(revokedAt))).toBe(false);

    await expectRejected(b, key.token, ['invalid_api_key']);
    await expectRejected(a, key.token, ['invalid_api_key']);
    // a write is refused too, not only reads
    const w = await createObject(b, key.token, unique('REV'));
    expect(w.status).toBe(401);
    expect(w.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // B lists it as revoked at the same instant; the account's other key is untouched
    expect(await keysOf(b, acct.id)).toEqual(expect.arrayContaining([{ id: key.id, revokedAt }, { id: other.id, revokedAt: null }]));
    await expectAccepted(b, other.token, acct.id);
  });

  it('revoking twice is a no-op: the same revokedAt and one audit row', async () => {
    const acct = await createAccount(a, 'READ_ONLY', ['API_ACCESS']);
    const key = await mintKey(a, acct.id);
    const first = await revokeKey(a, key.id);
    const second = await revokeKey(b, key.id);
    const third = await revokeKey(a, key.id);
    expect(second).toBe(first);
    expect(third).toBe(first);

    const audit = ok(
      await b.gql(`{ auditLog(filter: { operation: "revokeApiKey" }, first: 500) { nodes { operation entityType entityEuid credentialId changes } } }`),
    ).auditLog.nodes as { operation: string; entityType: string; entityEuid: string; credentialId: string | null; changes: any }[];
    const rows = audit.filter((n) => n.entityEuid === key.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ operation: 'revokeApiKey', entityType: 'api_key', credentialId: 'bootstrap' });
    expect(rows[0].changes.revokedAt.old).toBeNull();
    expect(Date.parse(rows[0].changes.revokedAt.new)).toBe(Date.parse(first));
    // the same answer through the entity filter
    const byEntity = ok(await a.gql(`query($e: String) { auditLog(filter: { operation: "revokeApiKey", entityEuid: $e }) { nodes { id } } }`, { e: key.id }));
    expect(byEntity.auditLog.nodes).toHaveLength(1);
    await expectRejected(b, key.token, ['invalid_api_key']);
  });

  it('disabling a service account refuses all its keys at once and lists them revoked', async () => {
    const acct = await createAccount(a, 'READ_WRITE', ['API_ACCESS']);
    const k1 = await mintKey(a, acct.id);
    const k2 = await mintKey(a, acct.id, ['objects:read']);
    await expectAccepted(b, k1.token, acct.id);
    await expectAccepted(b, k2.token, acct.id);

    const off = ok(await a.gql(`mutation($id: ID!) { updateServiceAccount(id: $id, input: { active: false }) { id active } }`, { id: acct.id }));
    expect(off.updateServiceAccount).toEqual({ id: acct.id, active: false });

    for (const k of [k1, k2]) {
      await expectRejected(b, k.token, ['invalid_api_key', 'service_account_inactive']);
      await expectRejected(a, k.token, ['invalid_api_key', 'service_account_inactive']);
    }
    const listed = await keysOf(b, acct.id);
    expect(listed.map((k) => k.id).sort()).toEqual([k1.id, k2.id].sort());
    for (const k of listed) expect(k.revokedAt).not.toBeNull();

    // re-enabling the account does not bring the revoked keys back
    const on = ok(await b.gql(`mutation($id: ID!) { updateServiceAccount(id: $id, input: { active: true }) { active } }`, { id: acct.id }));
    expect(on.updateServiceAccount.active).toBe(true);
    await expectRejected(a, k1.token, ['invalid_api_key']);
    await expectRejected(b, k2.token, ['invalid_api_key']);
  });

  it('a revoked user token is refused with token_revoked on the next request', async () => {
    const user = await createUser(a, 'READ_WRITE', ['API_ACCESS']);
    const byAdmin = await mintUserToken(a, user.id, 'internal_rw');
    const bySelf = await mintUserToken(a, user.id, 'internal_ro');
    await expectAccepted(b, byAdmin.secret, user.subject);
    await expectAccepted(b, bySelf.secret, user.subject);

    // the ADMIN revokes one on A
    const revoked = ok(await a.gql(`mutation($id: ID!) { revokeUserToken(id: $id) { id status revokedAt } }`, { id: byAdmin.id })).revokeUserToken;
    expect(revoked).toMatchObject({ id: byAdmin.id, status: 'REVOKED' });
    expect(revoked.revokedAt).not.toBeNull();
    await expectRejected(b, byAdmin.secret, ['token_revoked']);

    // the user revokes the other with itself, on B; A refuses it next
    const self = await b.gql(`mutation($id: ID!) { revokeUserToken(id: $id) { id status } }`, { id: bySelf.id }, bearer(bySelf.secret));
    expect(ok(self).revokeUserToken).toEqual({ id: bySelf.id, status: 'REVOKED' });
    await expectRejected(a, bySelf.secret, ['token_revoked']);
    await expectRejected(b, bySelf.secret, ['token_revoked']);
  });

  it('narrowing an account’s role narrows its existing key on the next request', async () => {
    const acct = await createAccount(a, 'READ_WRITE', ['API_ACCESS']);
    const key = await mintKey(a, acct.id);
    const before = ok(await createObject(b, key.token, unique('ROLE-A'))).createObject;
    expect(before.id).toBeTruthy();

    const upd = ok(await a.gql(`mutation($id: ID!) { updateServiceAccount(id: $id, input: { role: "READ_ONLY" }) { id role } }`, { id: acct.id }));
    expect(upd.updateServiceAccount).toEqual({ id: acct.id, role: 'READ_ONLY' });

    const refusedId = unique('ROLE-B');
    const refused = await createObject(b, key.token, refusedId);
    expect(refused.status).toBe(200);
    expect(refused.data?.createObject ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', detail: 'role_missing' });
    const none = ok(await a.gql(`query($x: String!) { objects(filter: { externalId: $x }) { nodes { id } } }`, { x: refusedId }));
    expect(none.objects.nodes).toEqual([]);

    // the key still reads, and says what it now is
    const me = ok(await b.gql(ME, {}, bearer(key.token))).me;
    expect(me).toMatchObject({ id: acct.id, role: 'READ_ONLY', credentialId: key.id });
    expect(me.permissions).not.toContain('objects:write');
    expect(ok(await b.gql(`{ objects(first: 1) { nodes { id } } }`, {}, bearer(key.token))).objects.nodes).toHaveLength(1);
    const rest = await restGet(a.url, '/api/v1/auth/me', `Bearer ${key.token}`);
    expect(rest.body).toMatchObject({ id: acct.id, role: 'READ_ONLY' });
    expect(rest.body.permissions).not.toContain('objects:write');
  });
});

describe('secrets', () => {
  it('listing keys never returns a secret', async () => {
    const acct = await createAccount(a, 'READ_WRITE', ['API_ACCESS']);
    const key = await mintKey(a, acct.id);
    const secretPart = key.token.split('.')[1];
    expect(secretPart).toMatch(/^[A-Za-z0-9]{32}$/);

    const ALL_FIELDS = `{ id name accountId scopes createdBy createdAt lastUsedAt revokedAt }`;
    await expectAccepted(b, key.token, acct.id); // used once, so lastUsedAt may be filled
    for (const t of [a, b]) {
      for (const text of [
        await rawGql(t, `query($a: ID) { apiKeys(accountId: $a) ${ALL_FIELDS} }`, { a: acct.id }),
        await rawGql(t, `{ apiKeys ${ALL_FIELDS} }`),
      ]) {
        expect(text).toContain(key.id); // the key is listed…
        expect(text).not.toContain(key.token); // …without its token
        expect(text).not.toContain(secretPart);
      }
    }
    // nor does the audit row of its creation hold it
    const audit = await rawGql(a, `query($e: String) { auditLog(filter: { entityEuid: $e }) { nodes { operation changes credentialId } } }`, { e: key.id });
    expect(audit).toContain('createApiKey');
    expect(audit).not.toContain(secretPart);

    // the same holds for user tokens
    const user = await createUser(a, 'READ_ONLY');
    const tok = await mintUserToken(a, user.id, 'internal_ro');
    const listed = await rawGql(b, `query($u: ID) { userTokens(userId: $u) { id name userId scope expiresAt revokedAt lastUsedAt createdAt status } }`, { u: user.id });
    expect(listed).toContain(tok.id);
    expect(listed).not.toContain(tok.secret);
    expect(listed).not.toContain(tok.secret.slice(4));
  });
});
