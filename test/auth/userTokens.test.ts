// Bloom-style user tokens (blm_…): lifetime, one-time secret, recorded uses,
// revocation, ownership, disabled users, and GET /api/v1/auth/me.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type GqlResult, type TestGateway } from '../helpers/gateway.js';
import { GDNA } from '../helpers/fixtures.js';
import { bearer, firstError, mintUserToken, pollUntil, redisEnv, restGet } from '../helpers/jwtAuth.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const ME = `{ me { id kind role authSource credentialId tokenScope } }`;
const USES = `query($id: ID!) { userTokenUses(tokenId: $id) { usedAt method route status } }`;
const TOKENS = `query($u: ID) { userTokens(userId: $u) { id name userId scope expiresAt revokedAt lastUsedAt createdAt status } }`;

interface Use {
  usedAt: string;
  method: string;
  route: string;
  status: number;
}

let t: TestGateway;

async function createUser(input: Record<string, unknown>): Promise<{ id: string; subject: string }> {
  const r = await t.gql<{ createUser: { id: string; subject: string } }>(
    `mutation($input: CreateUserInput!) { createUser(input: $input) { id subject role active } }`,
    { input },
  );
  return ok(r).createUser;
}

function expect401(r: GqlResult<unknown>, detail: string): void {
  expect(r.status).toBe(401);
  expect(r.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', detail });
  expect(r.headers.get('www-authenticate')).toBe('Bearer');
}

const uses = async (tokenId: string): Promise<Use[]> => ok(await t.gql<{ userTokenUses: Use[] }>(USES, { id: tokenId })).userTokenUses;

/** Usage rows are written after the response: wait (bounded) until there are `n`. */
const usesReaching = (tokenId: string, n: number) => pollUntil(() => uses(tokenId), (u) => u.length >= n);

let rw: { id: string; subject: string };

beforeAll(async () => {
  t = await startTestGateway({ env: redisEnv() });
  rw = await createUser({ email: 'rw@lab.test', name: 'Rosalind Writer', role: 'READ_WRITE' });
});
afterAll(async () => {
  await t?.close();
});

describe('minting (as ADMIN, for a user)', () => {
  it('defaults to a 48 h lifetime, scope internal_ro, an ACTIVE tok_ id and a blm_ secret', async () => {
    const before = Date.now();
    const tok = await mintUserToken(t, { userId: rw.id });
    expect(tok.id).toMatch(/^tok_[0-9a-f]{32}$/);
    expect(tok.secret).toMatch(/^blm_[0-9a-f]{64}$/);
    expect(tok).toMatchObject({ scope: 'internal_ro', status: 'ACTIVE', userId: rw.id });
    const exp = new Date(tok.expiresAt).getTime();
    expect(Math.abs(exp - (before + 48 * HOUR))).toBeLessThan(MINUTE);
    // The secret authenticates as the user.
    expect(ok(await t.gql(ME, {}, bearer(tok.secret))).me).toMatchObject({ id: rw.subject, kind: 'user', authSource: 'user_token', credentialId: tok.id });
  });

  it('honours an explicit expiresAt', async () => {
    const want = new Date(Math.floor((Date.now() + 5 * 24 * HOUR) / 1000) * 1000);
    const tok = await mintUserToken(t, { userId: rw.id, expiresAt: want.toISOString() });
    expect(new Date(tok.expiresAt).getTime()).toBe(want.getTime());
    const listed = ok(await t.gql(TOKENS, { u: rw.id })).userTokens.find((x: { id: string }) => x.id === tok.id);
    expect(new Date(listed.expiresAt).getTime()).toBe(want.getTime());
  });

  it('honours expiresInHours', async () => {
    const before = Date.now();
    const tok = await mintUserToken(t, { userId: rw.id, expiresInHours: 3 });
    expect(Math.abs(new Date(tok.expiresAt).getTime() - (before + 3 * HOUR))).toBeLessThan(MINUTE);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an expiresAt in the past', { expiresAt: new Date(Date.now() - HOUR).toISOString() }],
    ['both expiresAt and expiresInHours', { expiresAt: new Date(Date.now() + HOUR).toISOString(), expiresInHours: 2 }],
    ['an unknown scope', { scope: 'superuser' }],
  ])('refuses %s with BAD_USER_INPUT and mints nothing', async (_label, extra) => {
    const count = async () => ok(await t.gql(TOKENS, { u: rw.id })).userTokens.length;
    const n = await count();
    const r = await t.gql(`mutation($input: CreateUserTokenInput!) { createUserToken(input: $input) { secret } }`, { input: { userId: rw.id, ...extra } });
    expect(firstError(r)?.code).toBe('BAD_USER_INPUT');
    expect(r.data?.createUserToken ?? null).toBeNull();
    expect(await count()).toBe(n);
  });

  it('returns the secret once: no later listing, usage or audit answer contains it', async () => {
    const tok = await mintUserToken(t, { userId: rw.id, name: 'once' });
    const hex = tok.secret.slice(4);
    expect(ok(await t.gql(ME, {}, bearer(tok.secret))).me.credentialId).toBe(tok.id);

    const answers = [
      await t.gql(TOKENS, { u: rw.id }),
      await t.gql(TOKENS, {}, bearer(tok.secret)),
      await t.gql(USES, { id: tok.id }),
      await t.gql(`query($e: String!) { auditLog(filter: { entityEuid: $e }) { nodes { operation entityEuid credentialId changes } } }`, { e: tok.id }),
    ];
    const listed = ok(answers[0]).userTokens.find((x: { id: string }) => x.id === tok.id);
    expect(listed).toMatchObject({ id: tok.id, name: 'once', status: 'ACTIVE' });
    expect(ok(answers[3]).auditLog.nodes.map((n: { operation: string }) => n.operation)).toContain('createUserToken');
    for (const a of answers) {
      const json = JSON.stringify(ok(a));
      expect(json).not.toContain(tok.secret);
      expect(json).not.toContain(hex);
    }
  });
});

describe('recorded uses', () => {
  it('lists every use newest first with method, route and status, and sets lastUsedAt', async () => {
    const tok = await mintUserToken(t, { userId: rw.id, name: 'usage' });
    const initially = ok(await t.gql(TOKENS, { u: rw.id })).userTokens.find((x: { id: string }) => x.id === tok.id);
    expect(initially.lastUsedAt).toBeNull();
    expect(await uses(tok.id)).toEqual([]);

    // One request at a time, each waited for, so the expected order is certain.
    const requests: [() => Promise<number>, Omit<Use, 'usedAt'>][] = [
      [async () => (await t.gql(ME, {}, bearer(tok.secret))).status, { method: 'POST', route: '/graphql', status: 200 }],
      [async () => (await restGet(t, '/api/v1/auth/me?verbose=1', tok.secret)).status, { method: 'GET', route: '/api/v1/auth/me', status: 200 }],
      [async () => (await restGet(t, '/api/v1/no-such-route', tok.secret)).status, { method: 'GET', route: '/api/v1/no-such-route', status: 404 }],
      [async () => (await t.gql(`{ objects(first: 1) { nodes { id } } }`, {}, bearer(tok.secret))).status, { method: 'POST', route: '/graphql', status: 200 }],
    ];
    for (const [i, [send, want]] of requests.entries()) {
      expect(await send()).toBe(want.status);
      expect((await usesReaching(tok.id, i + 1)).length).toBe(i + 1);
    }

    const list = await uses(tok.id);
    expect(list.map(({ method, route, status }) => ({ method, route, status }))).toEqual(requests.map(([, want]) => want).reverse());
    const times = list.map((u) => new Date(u.usedAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const after = ok(await t.gql(TOKENS, { u: rw.id })).userTokens.find((x: { id: string }) => x.id === tok.id);
    expect(after.lastUsedAt).not.toBeNull();
    expect(new Date(after.lastUsedAt).getTime()).toBeGreaterThanOrEqual(new Date(after.createdAt).getTime());

    // The owner may read the uses of their own token with that token.
    const own = ok(await t.gql(USES, { id: tok.id }, bearer(tok.secret))).userTokenUses as Use[];
    expect(own.length).toBeGreaterThanOrEqual(requests.length);
    expect(own[0]).toMatchObject({ method: 'POST', route: '/graphql' });
  });
});

describe('revocation', () => {
  it('refuses the very next request with 401 token_revoked and shows status REVOKED', async () => {
    const tok = await mintUserToken(t, { userId: rw.id, name: 'to-revoke' });
    expect(ok(await t.gql(ME, {}, bearer(tok.secret))).me.id).toBe(rw.subject);

    const revoked = ok(await t.gql(`mutation($id: ID!) { revokeUserToken(id: $id) { id status revokedAt } }`, { id: tok.id })).revokeUserToken;
    expect(revoked).toMatchObject({ id: tok.id, status: 'REVOKED' });
    expect(revoked.revokedAt).not.toBeNull();

    expect401(await t.gql(ME, {}, bearer(tok.secret)), 'token_revoked');
    const rest = await restGet(t, '/api/v1/auth/me', tok.secret);
    expect(rest.status).toBe(401);
    expect(rest.headers.get('www-authenticate')).toBe('Bearer');
    expect(rest.body).toMatchObject({ detail: 'token_revoked' });

    const listed = ok(await t.gql(TOKENS, { u: rw.id })).userTokens.find((x: { id: string }) => x.id === tok.id);
    expect(listed.status).toBe('REVOKED');
  });

  it('refuses an unknown blm_ token with 401 token_not_found', async () => {
    expect401(await t.gql(ME, {}, bearer(`blm_${'0'.repeat(64)}`)), 'token_not_found');
  });
});

describe('ownership: a user manages only their own tokens', () => {
  let alice: { id: string; subject: string };
  let bob: { id: string; subject: string };
  let aliceTok: Awaited<ReturnType<typeof mintUserToken>>;
  let bobTok: Awaited<ReturnType<typeof mintUserToken>>;
  let bobSpare: Awaited<ReturnType<typeof mintUserToken>>;

  beforeAll(async () => {
    alice = await createUser({ email: 'alice@lab.test', name: 'Alice', role: 'READ_WRITE' });
    bob = await createUser({ email: 'bob@lab.test', name: 'Bob', role: 'READ_WRITE' });
    aliceTok = await mintUserToken(t, { userId: alice.id, name: 'alice-main' });
    bobTok = await mintUserToken(t, { userId: bob.id, name: 'bob-main', scope: 'internal_rw' });
    bobSpare = await mintUserToken(t, { userId: bob.id, name: 'bob-spare' });
  });

  it('lists only the caller’s own tokens; another user’s list is empty', async () => {
    const mine = ok(await t.gql(TOKENS, {}, bearer(bobTok.secret))).userTokens as { id: string; userId: string }[];
    expect(mine.map((x) => x.id).sort()).toEqual([bobTok.id, bobSpare.id].sort());
    expect(mine.every((x) => x.userId === bob.id)).toBe(true);
    expect(ok(await t.gql(TOKENS, { u: bob.id }, bearer(bobTok.secret))).userTokens).toHaveLength(2);

    expect(ok(await t.gql(TOKENS, { u: alice.id }, bearer(bobTok.secret))).userTokens).toEqual([]);
    // ADMIN sees Alice's.
    expect(ok(await t.gql(TOKENS, { u: alice.id })).userTokens.map((x: { id: string }) => x.id)).toEqual([aliceTok.id]);
  });

  it('answers NOT_FOUND to revoking or reading uses of someone else’s token, which keeps working', async () => {
    const r = await t.gql(`mutation($id: ID!) { revokeUserToken(id: $id) { id status } }`, { id: aliceTok.id }, bearer(bobTok.secret));
    expect(firstError(r)?.code).toBe('NOT_FOUND');
    expect(r.data?.revokeUserToken ?? null).toBeNull();
    expect(firstError(await t.gql(USES, { id: aliceTok.id }, bearer(bobTok.secret)))?.code).toBe('NOT_FOUND');
    expect(ok(await t.gql(ME, {}, bearer(aliceTok.secret))).me.id).toBe(alice.subject);
    expect(ok(await t.gql(TOKENS, { u: alice.id })).userTokens[0].status).toBe('ACTIVE');
  });

  it('refuses minting a token for someone else (FORBIDDEN)', async () => {
    const r = await t.gql(`mutation($input: CreateUserTokenInput!) { createUserToken(input: $input) { secret } }`, { input: { userId: alice.id } }, bearer(bobTok.secret));
    expect(firstError(r)?.code).toBe('FORBIDDEN');
    expect(r.data?.createUserToken ?? null).toBeNull();
  });

  it('lets a user revoke their own token and mint one for themselves', async () => {
    const r = ok(await t.gql(`mutation($id: ID!) { revokeUserToken(id: $id) { id status } }`, { id: bobSpare.id }, bearer(bobTok.secret)));
    expect(r.revokeUserToken).toEqual({ id: bobSpare.id, status: 'REVOKED' });
    expect401(await t.gql(ME, {}, bearer(bobSpare.secret)), 'token_revoked');

    const fresh = await mintUserToken(t, { name: 'self-minted' }, bearer(bobTok.secret));
    expect(fresh.userId).toBe(bob.id);
    expect(ok(await t.gql(ME, {}, bearer(fresh.secret))).me).toMatchObject({ id: bob.subject, authSource: 'user_token', tokenScope: 'internal_ro' });
  });
});

describe('disabled users and service accounts', () => {
  it("refuses a disabled user's token with 401 user_inactive, and accepts it again once re-enabled", async () => {
    const u = await createUser({ email: 'leaver@lab.test', name: 'Leaver', role: 'READ_WRITE' });
    const tok = await mintUserToken(t, { userId: u.id, scope: 'internal_rw' });
    expect(ok(await t.gql(`mutation($input: CreateObjectInput!) { createObject(input: $input) { id } }`, { input: { templateCode: GDNA } }, bearer(tok.secret))).createObject.id).toMatch(/^BCT-/);

    const setActive = (active: boolean) => t.gql(`mutation($id: ID!, $a: Boolean!) { updateUser(id: $id, input: { active: $a }) { id active } }`, { id: u.id, a: active });
    expect(ok(await setActive(false)).updateUser.active).toBe(false);
    expect401(await t.gql(ME, {}, bearer(tok.secret)), 'user_inactive');
    const rest = await restGet(t, '/api/v1/auth/me', tok.secret);
    expect(rest.status).toBe(401);
    expect(rest.body).toMatchObject({ detail: 'user_inactive' });

    ok(await setActive(true));
    expect(ok(await t.gql(ME, {}, bearer(tok.secret))).me.id).toBe(u.subject);
  });

  it('never lets a token cap above its minter: a READ_ONLY user may mint internal_ro only', async () => {
    const u = await createUser({ email: 'reader@lab.test', name: 'Reader', role: 'READ_ONLY' });
    const tok = await mintUserToken(t, { userId: u.id, scope: 'internal_ro' });
    const r = await t.gql(`mutation { createUserToken(input: { scope: "admin" }) { secret } }`, {}, bearer(tok.secret));
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', detail: 'scope_not_allowed' });
    expect(ok(await t.gql(`mutation { createUserToken(input: { scope: "internal_ro" }) { token { scope } } }`, {}, bearer(tok.secret))).createUserToken.token.scope).toBe('internal_ro');
  });

  it('refuses createUserToken without userId from a service account (FORBIDDEN user_required)', async () => {
    const account = ok(await t.gql(`mutation { createServiceAccount(input: { name: "token-minter", role: "READ_WRITE" }) { id } }`)).createServiceAccount;
    const key = ok(await t.gql(`mutation($a: ID!) { createApiKey(input: { accountId: $a }) { token } }`, { a: account.id })).createApiKey.token as string;
    expect(ok(await t.gql(ME, {}, bearer(key))).me).toMatchObject({ kind: 'service_account', authSource: 'api_key' });

    const r = await t.gql(`mutation { createUserToken(input: {}) { secret } }`, {}, bearer(key));
    expect(firstError(r)).toEqual({ code: 'FORBIDDEN', detail: 'user_required' });
    expect(r.data?.createUserToken ?? null).toBeNull();
    // The bootstrap ADMIN is a service account too.
    expect(firstError(await t.gql(`mutation { createUserToken(input: {}) { secret } }`))).toEqual({ code: 'FORBIDDEN', detail: 'user_required' });
  });
});

describe('GET /api/v1/auth/me with a user token', () => {
  let shape: { id: string; subject: string };
  let tok: Awaited<ReturnType<typeof mintUserToken>>;
  beforeAll(async () => {
    shape = await createUser({ email: 'shape@lab.test', name: 'Shape Tester', role: 'READ_WRITE', groups: ['API_ACCESS', 'bloom-rnd'] });
    tok = await mintUserToken(t, { userId: shape.id, scope: 'internal_rw' });
  });

  it("returns Bloom's shape, with no uuid anywhere", async () => {
    const r = await restGet(t, '/api/v1/auth/me', tok.secret);
    expect(r.status).toBe(200);
    const b = r.body;
    expect(b).toMatchObject({
      id: 'shape@lab.test',
      user_id: 'shape@lab.test',
      role: 'READ_WRITE',
      roles: ['READ_WRITE'],
      auth_source: 'user_token',
      token_scope: 'internal_rw',
      token_id: tok.id,
    });
    expect(b.token_id).toMatch(/^tok_[0-9a-f]{32}$/);
    expect(typeof b.email).toBe('string');
    expect([...b.groups].sort()).toEqual(['API_ACCESS', 'bloom-rnd']);
    expect(b.permissions).toEqual(expect.arrayContaining(['objects:read', 'objects:write', 'tokens:self']));
    expect(b.permissions).not.toContain('accounts:admin');
    expect(r.text).not.toMatch(/uuid/i);
    expect(r.text).not.toContain(tok.secret);
  });

  it('caps role and permissions by the token scope (internal_ro → READ_ONLY)', async () => {
    const ro = await mintUserToken(t, { userId: shape.id, scope: 'internal_ro' });
    const b = (await restGet(t, '/api/v1/auth/me', ro.secret)).body;
    expect(b).toMatchObject({ id: 'shape@lab.test', role: 'READ_ONLY', roles: ['READ_ONLY'], token_scope: 'internal_ro', token_id: ro.id });
    expect(b.permissions).not.toContain('objects:write');
  });

  it('reports email as "token-user:<owner>" for a token, as Bloom does (bloom-api.md §1.1)', async () => {
    const b = (await restGet(t, '/api/v1/auth/me', tok.secret)).body;
    expect(b.email).toBe('token-user:shape@lab.test');
  });
});
