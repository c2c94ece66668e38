// Bloom §1.13 /api/v1/user-tokens over real HTTP: a person's own tokens (list,
// mint with Bloom's scope and API_ACCESS rules, revoke, usage), service accounts
// refused as in GraphQL, and the REST mint against its GraphQL twin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { adminAuth, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { auditFor, newKey, outboxFor } from '../helpers/idempotency.js';
import { mintUserToken, pollUntil, redisEnv } from '../helpers/jwtAuth.js';
import { unique } from '../helpers/matrixAccounts.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const JWT_SECRET = 'rest-user-tokens-jwt-secret-0123456789abcdef';
const TOKEN_KEYS = [
  'token_id', 'user_id', 'token_name', 'token_prefix', 'scope', 'status', 'expires_at', 'last_used_at',
  'revoked_at', 'revocation_reason', 'created_at', 'usage_count', 'is_expired',
].sort();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

let t: TestGateway;
const bodies: string[] = [];
type Auth = Record<string, string> | null;

async function call(method: string, path: string, body?: unknown, auth: Auth = adminAuth, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { ...(auth ?? {}), ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await fetch(`${t.url}/api/v1${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

interface Person {
  id: string;
  subject: string;
  /** A blm_ token of the person, minted by the bootstrap ADMIN. */
  auth: Record<string, string>;
  tokenId: string;
}

async function person(role: string, scope: 'internal_ro' | 'internal_rw' | 'admin', groups?: string[]): Promise<Person> {
  const subject = unique('person');
  const u = ok(await t.gql(`mutation($i: CreateUserInput!) { createUser(input: $i) { id subject } }`, {
    i: { subject, name: subject, role, ...(groups ? { groups } : {}) },
  })).createUser;
  const tok = await mintUserToken(t, { userId: u.id, scope, name: unique('seed') });
  return { id: u.id, subject, auth: bearer(tok.secret), tokenId: tok.id };
}

const jwt = (claims: Record<string, unknown>, sub = unique('jwt-sub')) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(JWT_SECRET));

let ro: Person;
let rw: Person;
let rwCapped: Record<string, string>;
let adm: Person;
let serviceKey: Record<string, string>;

beforeAll(async () => {
  // No default JWT groups (',': an empty value would count as unset, i.e. API_ACCESS).
  t = await startTestGateway({ env: { ...redisEnv(), JWT_SECRET, JWT_DEFAULT_GROUPS: '' } });
  ro = await person('READ_ONLY', 'internal_ro');
  rw = await person('READ_WRITE', 'internal_rw');
  // The same READ_WRITE person through an internal_ro token: the scope caps them to READ_ONLY.
  rwCapped = bearer((await mintUserToken(t, { userId: rw.id, scope: 'internal_ro', name: unique('capped') })).secret);
  adm = await person('ADMIN', 'admin');
  serviceKey = bearer((await mintKey(t, { role: 'READ_ONLY' })).token);
});
afterAll(async () => {
  await t?.close();
});

describe('POST /user-tokens', () => {
  it('mints a 48 h internal_ro token by default, Bloom-shaped, whose plaintext authenticates as the caller', async () => {
    const before = Date.now();
    const r = await call('POST', '/user-tokens', { token_name: 'laptop' }, rw.auth);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['message', 'plaintext_token', 'token']);
    expect(r.body.message).toBe('Store this token now; it will not be shown again.');
    expect(r.body.plaintext_token).toMatch(/^blm_[0-9a-f]{64}$/);
    const tok = r.body.token;
    expect(Object.keys(tok).sort()).toEqual(TOKEN_KEYS);
    expect(tok).toMatchObject({
      token_id: expect.stringMatching(/^tok_[0-9a-f]{32}$/), user_id: rw.id, token_name: 'laptop', token_prefix: 'blm_********...',
      scope: 'internal_ro', status: 'ACTIVE', last_used_at: null, revoked_at: null, revocation_reason: null, usage_count: 0, is_expired: false,
    });
    expect(tok.expires_at).toMatch(ISO);
    expect(tok.created_at).toMatch(ISO);
    expect(Math.abs(new Date(tok.expires_at).getTime() - (before + 48 * HOUR))).toBeLessThan(MINUTE);
    const me = await call('GET', '/auth/me', undefined, bearer(r.body.plaintext_token));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: rw.subject, token_id: tok.token_id, token_scope: 'internal_ro', role: 'READ_ONLY' });
  });

  it('maps expires_in_days (a number or digits, as pydantic reads an int) to days × 24 h and serves the path with a trailing slash', async () => {
    const before = Date.now();
    const r = await call('POST', '/user-tokens/', { token_name: 'ci runner', expires_in_days: '7', scope: 'internal_rw', note: 'kept nowhere' }, rw.auth);
    expect(r.status).toBe(200);
    expect(r.body.token.scope).toBe('internal_rw');
    expect(Math.abs(new Date(r.body.token.expires_at).getTime() - (before + 7 * 24 * HOUR))).toBeLessThan(MINUTE);
  });

  it('lets READ_ONLY mint internal_ro only, READ_WRITE up to internal_rw, ADMIN every scope (any case)', async () => {
    const scopeDenied = (s: string) => ({ detail: `Scope '${s}' is not allowed for actor role set` });
    expect((await call('POST', '/user-tokens', { token_name: 'ro-ro' }, ro.auth)).status).toBe(200);
    const roRw = await call('POST', '/user-tokens', { token_name: 'ro-rw', scope: 'internal_rw' }, ro.auth);
    expect(roRw.status).toBe(403);
    expect(roRw.body).toEqual(scopeDenied('internal_rw'));
    const rwAdmin = await call('POST', '/user-tokens', { token_name: 'rw-admin', scope: 'admin' }, rw.auth);
    expect(rwAdmin.status).toBe(403);
    expect(rwAdmin.body).toEqual(scopeDenied('admin'));
    const upper = await call('POST', '/user-tokens', { token_name: 'rw-upper', scope: ' INTERNAL_RW ' }, rw.auth);
    expect(upper.status).toBe(200);
    expect(upper.body.token.scope).toBe('internal_rw');
    // A token's scope caps its owner: READ_WRITE through an internal_ro token mints like READ_ONLY.
    const capped = await call('POST', '/user-tokens', { token_name: 'capped-rw', scope: 'internal_rw' }, rwCapped);
    expect(capped.status).toBe(403);
    const admin = await call('POST', '/user-tokens', { token_name: 'adm-admin', scope: 'admin' }, adm.auth);
    expect(admin.status).toBe(200);
    expect(admin.body.token.scope).toBe('admin');
    const unknown = await call('POST', '/user-tokens', { token_name: 'adm-root', scope: 'root' }, adm.auth);
    expect(unknown.status).toBe(403);
    expect(unknown.body).toEqual(scopeDenied('root'));
  });

  it("refuses a non-admin outside API_ACCESS with Bloom's message; an ADMIN outside it may mint", async () => {
    const outsider = await call('POST', '/user-tokens', { token_name: 'no-api' }, bearer(await jwt({ role: 'READ_WRITE', groups: [] })));
    expect(outsider.status).toBe(403);
    expect(outsider.body).toEqual({ detail: 'User is not in API_ACCESS group' });
    const admin = await call('POST', '/user-tokens', { token_name: 'adm-no-api' }, bearer(await jwt({ role: 'ADMIN', groups: [] })));
    expect(admin.status).toBe(200);
  });

  it('gives a JWT user (no user row yet) a token, then lists it as theirs', async () => {
    const auth = bearer(await jwt({ role: 'READ_WRITE', groups: ['API_ACCESS'] }, 'jwt-lister'));
    const r = await call('POST', '/user-tokens', { token_name: 'from-idp', scope: 'internal_rw' }, auth);
    expect(r.status).toBe(200);
    expect(r.body.token.user_id).toMatch(/^BBX-/);
    const list = await call('GET', '/user-tokens', undefined, auth);
    expect(list.body).toEqual({ items: [r.body.token], total: 1 });
  });

  it('answers FastAPI-style 422s for the body', async () => {
    const missing = await call('POST', '/user-tokens', {}, rw.auth);
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'token_name'], msg: 'Field required', type: 'missing' })]);
    const short = await call('POST', '/user-tokens', { token_name: 'ab' }, rw.auth);
    expect(short.status).toBe(422);
    expect(short.body.detail[0].loc).toEqual(['body', 'token_name']);
    for (const days of [0, 3651, 1.5, 'two', null]) {
      const r = await call('POST', '/user-tokens', { token_name: 'bad days', expires_in_days: days }, rw.auth);
      expect(r.status, String(days)).toBe(422);
      expect(r.body.detail[0].loc).toEqual(['body', 'expires_in_days']);
    }
    // Within Bloom's 3650 days but beyond the gateway's 366-day ceiling.
    const long = await call('POST', '/user-tokens', { token_name: 'too long', expires_in_days: 400 }, rw.auth);
    expect(long.status).toBe(422);
    expect(long.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'expires_in_days'], type: 'value_error' })]);
  });

  it('answers 401 without a credential, and 403 user_required to a service account, as GraphQL does', async () => {
    const none = await call('POST', '/user-tokens', { token_name: 'anon' }, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const message = 'Service accounts use API keys, not user tokens';
    for (const auth of [serviceKey, adminAuth]) {
      expect(await call('POST', '/user-tokens', { token_name: 'svc' }, auth)).toMatchObject({ status: 403, body: { detail: message } });
      expect(await call('GET', '/user-tokens', undefined, auth)).toMatchObject({ status: 403, body: { detail: message } });
      expect(await call('DELETE', `/user-tokens/${ro.tokenId}`, undefined, auth)).toMatchObject({ status: 403, body: { detail: message } });
      expect(await call('GET', `/user-tokens/${ro.tokenId}/usage`, undefined, auth)).toMatchObject({ status: 403, body: { detail: message } });
    }
    const gql = await t.gql(`mutation { createUserToken(input: { name: "svc" }) { secret } }`, {}, serviceKey);
    expect(gql.errors?.[0]).toMatchObject({ message, extensions: { code: 'FORBIDDEN', detail: 'user_required' } });
  });

  it('replays a mint sent again with the same Idempotency-Key, never storing the plaintext', async () => {
    const key = newKey('tok');
    const a = await call('POST', '/user-tokens', { token_name: 'idem' }, rw.auth, { 'idempotency-key': key });
    const b = await call('POST', '/user-tokens', { token_name: 'idem' }, rw.auth, { 'idempotency-key': key });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.headers.get('idempotency-replayed')).toBe('true');
    expect(b.body.token.token_id).toBe(a.body.token.token_id);
    expect(b.body.plaintext_token).toBe('[redacted]');
    const rows = await t.testDb.db.query(`SELECT 1 FROM user_token WHERE token_id = $1`, [a.body.token.token_id]);
    expect(rows).toHaveLength(1);
  });

  it('writes the same kinds of rows and audit entries as its GraphQL twin, and no events', async () => {
    const rest = await call('POST', '/user-tokens', { token_name: 'twin', scope: 'internal_rw', expires_in_days: 3 }, rw.auth);
    const gql = ok(await t.gql(`mutation($i: CreateUserTokenInput!) { createUserToken(input: $i) { token { id } } }`, {
      i: { name: 'twin', scope: 'internal_rw', expiresInHours: 72 },
    }, rw.auth)).createUserToken.token.id;
    const rows = await t.testDb.db.query<Record<string, unknown>>(
      `SELECT t.token_id, u.euid, t.name, t.scope, t.revoked_at, round(extract(epoch from t.expires_at - t.created_at) / 3600)::int AS hours FROM user_token t JOIN app_user u ON u.id = t.user_id WHERE token_id = ANY($1::text[]) ORDER BY t.id`,
      [[rest.body.token.token_id, gql]],
    );
    const norm = ({ token_id: _t, ...r }: Record<string, unknown>) => r;
    expect(rows).toHaveLength(2);
    expect(norm(rows[0])).toEqual(norm(rows[1]));
    expect(rows[0]).toMatchObject({ euid: rw.id, scope: 'internal_rw', hours: 72 });
    const ops = async (id: string) => (await auditFor(t, id)).map((a) => a.operation);
    expect(await ops(rest.body.token.token_id)).toEqual(['createUserToken']);
    expect(await ops(rest.body.token.token_id)).toEqual(await ops(gql));
    expect(await outboxFor(t, rest.body.token.token_id)).toEqual([]);
    expect(await outboxFor(t, gql)).toEqual([]);
  });
});

describe('GET /user-tokens', () => {
  it("lists the caller's own tokens only, with usage counts", async () => {
    const me = await person('READ_WRITE', 'internal_rw');
    const other = await call('POST', '/user-tokens', { token_name: 'not mine' }, ro.auth);
    expect(other.status).toBe(200);
    const minted = await call('POST', '/user-tokens', { token_name: 'mine' }, me.auth);
    for (let i = 0; i < 3; i++) expect((await call('GET', '/auth/me', undefined, bearer(minted.body.plaintext_token))).status).toBe(200);
    const list = await pollUntil(
      () => call('GET', '/user-tokens/', undefined, me.auth),
      (r) => r.body.items?.find((x: { token_id: string }) => x.token_id === minted.body.token.token_id)?.usage_count === 3,
    );
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((x: { token_id: string }) => x.token_id)).toEqual([me.tokenId, minted.body.token.token_id]);
    const mine = list.body.items[1];
    expect(Object.keys(mine).sort()).toEqual(TOKEN_KEYS);
    expect(mine).toMatchObject({ usage_count: 3, last_used_at: expect.stringMatching(ISO), user_id: me.id });
    expect(list.body.items.some((x: { token_id: string }) => x.token_id === other.body.token.token_id)).toBe(false);
  });

  it('answers 401 without a credential', async () => {
    expect((await call('GET', '/user-tokens', undefined, null)).status).toBe(401);
  });
});

describe('DELETE /user-tokens/{token_id}', () => {
  it('revokes an own token (revoked_by_user); again is 200; the token then fails with 401', async () => {
    const minted = await call('POST', '/user-tokens', { token_name: 'to revoke' }, rw.auth);
    const id = minted.body.token.token_id;
    const r = await call('DELETE', `/user-tokens/${id}`, undefined, rw.auth);
    expect(r.status).toBe(200);
    expect(r.body.message).toBe('Token revoked');
    expect(Object.keys(r.body.token).sort()).toEqual(TOKEN_KEYS);
    expect(r.body.token).toMatchObject({ token_id: id, status: 'REVOKED', revocation_reason: 'revoked_by_user', revoked_at: expect.stringMatching(ISO) });
    const again = await call('DELETE', `/user-tokens/${id}`, undefined, rw.auth);
    expect(again.status).toBe(200);
    expect(again.body.token.revoked_at).toBe(r.body.token.revoked_at);
    expect((await auditFor(t, id)).map((a) => a.operation)).toEqual(['revokeUserToken', 'createUserToken']); // newest first
    expect((await call('GET', '/auth/me', undefined, bearer(minted.body.plaintext_token))).status).toBe(401);
  });

  it("answers 403 for another user's token, 404 for an unknown one; an ADMIN may revoke anyone's", async () => {
    const victim = await call('POST', '/user-tokens', { token_name: 'victim' }, ro.auth);
    const id = victim.body.token.token_id;
    const denied = await call('DELETE', `/user-tokens/${id}`, undefined, rw.auth);
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ detail: "Cannot revoke another user's token" });
    for (const unknown of ['tok_0123456789abcdef0123456789abcdef', 'NOT-A-TOKEN']) {
      const r = await call('DELETE', `/user-tokens/${unknown}`, undefined, rw.auth);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ detail: `Token not found: ${unknown}` });
    }
    const byAdmin = await call('DELETE', `/user-tokens/${id}`, undefined, adm.auth);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.token).toMatchObject({ user_id: ro.id, status: 'REVOKED' });
  });
});

describe('GET /user-tokens/{token_id}/usage', () => {
  it('lists recorded uses newest first, honouring limit', async () => {
    const minted = await call('POST', '/user-tokens', { token_name: 'used' }, rw.auth);
    const id = minted.body.token.token_id;
    const auth = bearer(minted.body.plaintext_token);
    await call('GET', '/auth/me', undefined, auth);
    await call('GET', '/user-tokens', undefined, auth);
    const all = await pollUntil(() => call('GET', `/user-tokens/${id}/usage`, undefined, rw.auth), (r) => r.body.total >= 2);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(2);
    expect(all.body.items[0]).toEqual({
      id: null, token_id: id, endpoint: '/api/v1/user-tokens', http_method: 'GET', response_status: 200,
      ip_address: null, user_agent: null, request_metadata: { query_params: null, content_type: null }, request_timestamp: expect.stringMatching(ISO),
    });
    expect(all.body.items[1]).toMatchObject({ endpoint: '/api/v1/auth/me' });
    const one = await call('GET', `/user-tokens/${id}/usage?limit=1`, undefined, rw.auth);
    expect(one.body).toEqual({ items: [all.body.items[0]], total: 1 });
  });

  it("answers 422 for a bad limit, 403 for another user's token, 404 for an unknown one", async () => {
    for (const limit of ['0', '1001', 'x']) {
      const r = await call('GET', `/user-tokens/${rw.tokenId}/usage?limit=${limit}`, undefined, rw.auth);
      expect(r.status, limit).toBe(422);
      expect(r.body.detail[0].loc).toEqual(['query', 'limit']);
    }
    const other = await call('GET', `/user-tokens/${ro.tokenId}/usage`, undefined, rw.auth);
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ detail: "Cannot view usage for another user's token" });
    const unknown = await call('GET', '/user-tokens/tok_ffffffffffffffffffffffffffffffff/usage', undefined, rw.auth);
    expect(unknown.status).toBe(404);
    expect((await call('GET', `/user-tokens/${ro.tokenId}/usage`, undefined, adm.auth)).status).toBe(200);
  });
});

describe('every response', () => {
  it('never contains the text "uuid" nor a token hash', async () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const b of bodies) {
      expect(b).not.toMatch(/uuid/i);
      expect(b).not.toMatch(/token_hash|"hash"/);
    }
  });
});
