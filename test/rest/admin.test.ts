// Bloom §1.14 /api/v1/admin over real HTTP: the system groups, membership as the
// users' groups (history from the audit log), every user's tokens, the admin
// guard, and a membership write against its GraphQL twin (updateUser).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { auditFor, newKey, outboxFor } from '../helpers/idempotency.js';
import { mintUserToken, pollUntil, redisEnv } from '../helpers/jwtAuth.js';
import { unique } from '../helpers/matrixAccounts.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
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

async function createUser(role: string, groups?: string[]): Promise<{ id: string; subject: string }> {
  const subject = unique('member');
  return ok(await t.gql(`mutation($i: CreateUserInput!) { createUser(input: $i) { id subject } }`, {
    i: { subject, name: subject, role, ...(groups ? { groups } : {}) },
  })).createUser;
}

const groupsOf = async (euid: string): Promise<string[]> =>
  ok(await t.gql(`{ users { id groups } }`)).users.find((u: { id: string }) => u.id === euid).groups;

let bootstrapEuid: string;
let rwUser: { id: string; subject: string; auth: Record<string, string>; tokenId: string };
let adminUser: Record<string, string>;
let roKey: Record<string, string>;

beforeAll(async () => {
  t = await startTestGateway({ env: redisEnv() });
  bootstrapEuid = ok(await t.gql(`{ me { id } }`)).me.id;
  const u = await createUser('READ_WRITE');
  const tok = await mintUserToken(t, { userId: u.id, scope: 'internal_rw', name: unique('rw') });
  rwUser = { ...u, auth: bearer(tok.secret), tokenId: tok.id };
  const a = await createUser('ADMIN');
  adminUser = bearer((await mintUserToken(t, { userId: a.id, scope: 'admin', name: unique('adm') })).secret);
  roKey = bearer((await mintKey(t, { role: 'READ_ONLY' })).token);
});
afterAll(async () => {
  await t?.close();
});

describe('the admin guard', () => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/admin/groups'],
    ['GET', '/admin/groups/API_ACCESS/members'],
    ['POST', '/admin/groups/API_ACCESS/members', { user_id: 'x' }],
    ['DELETE', '/admin/groups/API_ACCESS/members/x'],
    ['GET', '/admin/user-tokens'],
    ['POST', '/admin/user-tokens/issue', { user_id: 'x', token_name: 'xyz' }],
    ['DELETE', '/admin/user-tokens/tok_0123456789abcdef0123456789abcdef'],
    ['GET', '/admin/user-tokens/tok_0123456789abcdef0123456789abcdef/usage'],
  ];

  it('answers 403 "Admin privileges required" to READ_WRITE users and READ_ONLY keys, 401 without a credential', async () => {
    for (const [method, path, body] of routes) {
      for (const auth of [rwUser.auth, roKey]) {
        const r = await call(method, path, body, auth);
        expect(r.status, `${method} ${path}`).toBe(403);
        expect(r.body).toEqual({ detail: 'Admin privileges required' });
      }
      const none = await call(method, path, body, null);
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('lets an ADMIN user token in as well as an ADMIN key', async () => {
    expect((await call('GET', '/admin/groups', undefined, adminUser)).status).toBe(200);
    expect((await call('GET', '/admin/user-tokens', undefined, adminUser)).status).toBe(200);
  });
});

describe('GET /admin/groups', () => {
  it('lists the system groups in code order, Bloom-shaped, with and without a trailing slash', async () => {
    const r = await call('GET', '/admin/groups');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(6);
    expect(r.body.items.map((g: { group_code: string }) => g.group_code)).toEqual([
      'API_ACCESS', 'bloom-auditor', 'bloom-clinical', 'bloom-rnd', 'ENABLE_ATLAS_API', 'ENABLE_URSA_API',
    ]);
    expect(r.body.items[0]).toEqual({
      id: 'API_ACCESS', group_code: 'API_ACCESS', name: 'Api Access', description: 'System group: API_ACCESS',
      is_system_group: true, is_active: true, revision_no: 1, created_at: null,
    });
    expect(r.body.items[3]).toMatchObject({ name: 'Bloom-Rnd', description: 'System group: BLOOM-RND' });
    expect((await call('GET', '/admin/groups/')).body).toEqual(r.body);
  });
});

describe('group members', () => {
  it('adds a user by EUID (added), again by subject (exists), removes, and re-adds (reactivated)', async () => {
    const u = await createUser('READ_ONLY');
    const added = await call('POST', '/admin/groups/ENABLE_ATLAS_API/members', { user_id: u.id });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body).toEqual({
      id: `ENABLE_ATLAS_API:${u.id}`, group_id: 'ENABLE_ATLAS_API', group_code: 'ENABLE_ATLAS_API', user_id: u.id, is_active: true,
      result: 'added', message: `Added ${u.id} to ENABLE_ATLAS_API`,
    });
    expect(await groupsOf(u.id)).toEqual(['API_ACCESS', 'ENABLE_ATLAS_API']);
    const again = await call('POST', '/admin/groups/enable_atlas_api/members/', { user_id: u.subject });
    expect(again.body).toMatchObject({ result: 'exists', message: `${u.id} is already active in ENABLE_ATLAS_API`, is_active: true });

    const listed = await call('GET', '/admin/groups/ENABLE_ATLAS_API/members');
    expect(listed.status).toBe(200);
    const mine = listed.body.items.find((m: { user_id: string }) => m.user_id === u.id);
    expect(mine).toEqual({
      id: `ENABLE_ATLAS_API:${u.id}`, group_id: 'ENABLE_ATLAS_API', group_code: 'ENABLE_ATLAS_API', user_id: u.id, is_active: true,
      joined_at: expect.stringMatching(ISO), added_by: bootstrapEuid, deactivated_at: null, deactivated_by: null,
    });
    expect(listed.body.total).toBe(listed.body.items.length);

    const removed = await call('DELETE', `/admin/groups/ENABLE_ATLAS_API/members/${encodeURIComponent(u.subject)}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ id: `ENABLE_ATLAS_API:${u.id}`, group_id: 'ENABLE_ATLAS_API', group_code: 'ENABLE_ATLAS_API', user_id: u.id, is_active: false });
    expect(await groupsOf(u.id)).toEqual(['API_ACCESS']);
    // Removing a former member again answers the inactive membership.
    expect(await call('DELETE', `/admin/groups/ENABLE_ATLAS_API/members/${u.id}`)).toMatchObject({ status: 200, body: { is_active: false } });
    const former = (await call('GET', '/admin/groups/ENABLE_ATLAS_API/members')).body.items.find((m: { user_id: string }) => m.user_id === u.id);
    expect(former).toMatchObject({ is_active: false, deactivated_at: expect.stringMatching(ISO), deactivated_by: bootstrapEuid });

    const back = await call('POST', '/admin/groups/ENABLE_ATLAS_API/members', { user_id: u.id }, adminUser);
    expect(back.body).toMatchObject({ result: 'reactivated', message: `Reactivated ${u.id} membership in ENABLE_ATLAS_API`, is_active: true });
    const ops = (await auditFor(t, u.id)).map((a) => a.operation);
    expect(ops).toEqual(['updateUser', 'updateUser', 'updateUser', 'createUser']); // exists and re-remove wrote nothing
  });

  it('lists the members a user was created with (joined at creation, added by its creator)', async () => {
    const u = await createUser('READ_ONLY', ['API_ACCESS', 'bloom-rnd']);
    const r = await call('GET', '/admin/groups/BLOOM-RND/members');
    expect(r.body.items).toEqual([expect.objectContaining({ user_id: u.id, group_code: 'bloom-rnd', is_active: true, added_by: bootstrapEuid, joined_at: expect.stringMatching(ISO) })]);
    expect(r.body.total).toBe(1);
    const empty = await call('GET', '/admin/groups/ENABLE_URSA_API/members');
    expect(empty.body).toEqual({ items: [], total: 0 });
  });

  it("takes effect on the member's next request (API_ACCESS gates every programmatic credential)", async () => {
    const u = await createUser('READ_ONLY');
    const auth = bearer((await mintUserToken(t, { userId: u.id, scope: 'internal_ro', name: unique('gate') })).secret);
    const read = () => call('GET', '/objects/?page_size=1', undefined, auth);
    expect((await read()).status).toBe(200);
    expect((await call('DELETE', `/admin/groups/API_ACCESS/members/${u.id}`)).status).toBe(200);
    expect((await read()).status).toBe(403);
    expect((await call('POST', '/admin/groups/API_ACCESS/members', { user_id: u.id })).body.result).toBe('reactivated');
    expect((await read()).status).toBe(200);
  });

  it('answers 404 for an unknown or role group, 400 for a blank user_id, 404 for an unknown user, 422 without user_id', async () => {
    const u = await createUser('READ_ONLY');
    for (const code of ['NOPE', 'bloom-admin']) {
      expect(await call('POST', `/admin/groups/${code}/members`, { user_id: u.id })).toMatchObject({ status: 404, body: { detail: `Unknown group_code: ${code}` } });
      expect(await call('GET', `/admin/groups/${code}/members`)).toMatchObject({ status: 404, body: { detail: `Unknown group_code: ${code}` } });
    }
    expect(await call('POST', '/admin/groups/API_ACCESS/members', { user_id: '   ' })).toMatchObject({ status: 400, body: { detail: 'Invalid user_id' } });
    expect(await call('POST', '/admin/groups/API_ACCESS/members', { user_id: 'BBX-NOPE' })).toMatchObject({ status: 404, body: { detail: 'User not found: BBX-NOPE' } });
    const missing = await call('POST', '/admin/groups/API_ACCESS/members', {});
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'user_id'], msg: 'Field required' })]);
    const notMember = { status: 404, body: { detail: 'Group membership not found' } };
    expect(await call('DELETE', `/admin/groups/ENABLE_URSA_API/members/${u.id}`)).toMatchObject(notMember);
    expect(await call('DELETE', '/admin/groups/API_ACCESS/members/BBX-NOPE')).toMatchObject(notMember);
    expect(await call('DELETE', `/admin/groups/NOPE/members/${u.id}`)).toMatchObject(notMember);
  });

  it('replays an add sent again with the same Idempotency-Key', async () => {
    const u = await createUser('READ_ONLY');
    const key = newKey('member');
    const a = await call('POST', '/admin/groups/bloom-clinical/members', { user_id: u.id }, adminAuth, { 'idempotency-key': key });
    const b = await call('POST', '/admin/groups/bloom-clinical/members', { user_id: u.id }, adminAuth, { 'idempotency-key': key });
    expect(a.body.result).toBe('added');
    expect(b.body).toEqual(a.body);
    expect(b.headers.get('idempotency-replayed')).toBe('true');
  });

  it('writes the same kinds of rows and audit entries as its GraphQL twin (updateUser), and no events', async () => {
    const viaRest = await createUser('READ_ONLY');
    const viaGql = await createUser('READ_ONLY');
    expect((await call('POST', '/admin/groups/bloom-auditor/members', { user_id: viaRest.id })).status).toBe(200);
    ok(await t.gql(`mutation($id: ID!) { updateUser(id: $id, input: { groups: ["API_ACCESS", "bloom-auditor"] }) { id } }`, { id: viaGql.id }));
    expect(await groupsOf(viaRest.id)).toEqual(await groupsOf(viaGql.id));
    const audit = async (euid: string) =>
      (await t.testDb.db.query<{ operation: string; changes: unknown }>(`SELECT operation, actor_id, changes FROM audit_log WHERE entity_euid = $1 AND operation = 'updateUser' ORDER BY id`, [euid]));
    expect(await audit(viaRest.id)).toEqual(await audit(viaGql.id));
    expect(await audit(viaRest.id)).toEqual([{ operation: 'updateUser', actor_id: bootstrapEuid, changes: { groups: { old: ['API_ACCESS'], new: ['API_ACCESS', 'bloom-auditor'] } } }]);
    expect((await auditFor(t, viaRest.id)).map((a) => a.operation)).toEqual(['updateUser', 'createUser']);
    expect(await outboxFor(t, viaRest.id)).toEqual([]);
    expect(await outboxFor(t, viaGql.id)).toEqual([]);
  });
});

describe('admin user tokens', () => {
  it('issues a token for a user by EUID or subject (30 days by default, any scope), which authenticates as them', async () => {
    const before = Date.now();
    const r = await call('POST', '/admin/user-tokens/issue', { user_id: rwUser.id, token_name: 'issued', scope: 'admin' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({
      token: {
        token_id: expect.stringMatching(/^tok_[0-9a-f]{32}$/), user_id: rwUser.id, token_name: 'issued', token_prefix: 'blm_********...',
        scope: 'admin', status: 'ACTIVE', expires_at: expect.stringMatching(ISO), created_at: expect.stringMatching(ISO),
      },
      plaintext_token: expect.stringMatching(/^blm_[0-9a-f]{64}$/),
      message: 'Store this token now; it will not be shown again.',
    });
    expect(Math.abs(new Date(r.body.token.expires_at).getTime() - (before + 30 * DAY))).toBeLessThan(MINUTE);
    const me = await call('GET', '/auth/me', undefined, bearer(r.body.plaintext_token));
    // An admin-scope token still caps at its owner's role.
    expect(me.body).toMatchObject({ id: rwUser.subject, token_id: r.body.token.token_id, role: 'READ_WRITE' });
    const bySubject = await call('POST', '/admin/user-tokens/issue', { user_id: rwUser.subject, token_name: 'by subject', expires_in_days: 1 });
    expect(bySubject.body.token.user_id).toBe(rwUser.id);
    expect((await auditFor(t, r.body.token.token_id)).map((a) => a.operation)).toEqual(['createUserToken']);
  });

  it('answers 400 for a whitespace user_id, 404 for an unknown user, 422 for a bad body, 403 for an unknown scope', async () => {
    expect(await call('POST', '/admin/user-tokens/issue', { user_id: '  ', token_name: 'blank' })).toMatchObject({ status: 400, body: { detail: 'Invalid user_id' } });
    expect(await call('POST', '/admin/user-tokens/issue', { user_id: 'nobody', token_name: 'ghost' })).toMatchObject({ status: 404, body: { detail: 'User not found: nobody' } });
    const bad = await call('POST', '/admin/user-tokens/issue', { user_id: rwUser.id });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'token_name'], type: 'missing' })]);
    expect((await call('POST', '/admin/user-tokens/issue', { token_name: 'no user' })).status).toBe(422);
    expect(await call('POST', '/admin/user-tokens/issue', { user_id: rwUser.id, token_name: 'root', scope: 'root' }))
      .toMatchObject({ status: 403, body: { detail: "Scope 'root' is not allowed for actor role set" } });
  });

  it("lists every user's tokens with usage counts, or one user's", async () => {
    const other = await createUser('READ_ONLY');
    const issued = await call('POST', '/admin/user-tokens/issue', { user_id: other.id, token_name: 'counted' });
    await call('GET', '/auth/me', undefined, bearer(issued.body.plaintext_token));
    const all = await pollUntil(
      () => call('GET', '/admin/user-tokens'),
      (r) => r.body.items?.find((x: { token_id: string }) => x.token_id === issued.body.token.token_id)?.usage_count === 1,
    );
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(all.body.items.length);
    const users = new Set(all.body.items.map((x: { user_id: string }) => x.user_id));
    expect(users.has(rwUser.id) && users.has(other.id)).toBe(true);
    const one = all.body.items.find((x: { token_id: string }) => x.token_id === issued.body.token.token_id);
    expect(Object.keys(one).sort()).toEqual(['created_at', 'expires_at', 'last_used_at', 'revoked_at', 'scope', 'status', 'token_id', 'token_name', 'token_prefix', 'usage_count', 'user_id']);
    expect(one).toMatchObject({ user_id: other.id, usage_count: 1, status: 'ACTIVE', revoked_at: null, last_used_at: expect.stringMatching(ISO) });
    const mine = await call('GET', `/admin/user-tokens/?user_id=${encodeURIComponent(other.subject)}`);
    expect(mine.body).toEqual({ items: [one], total: 1 });
    expect((await call('GET', '/admin/user-tokens?user_id=nobody')).status).toBe(404);
  });

  it("revokes anyone's token; again is 200; unknown is 404", async () => {
    const issued = await call('POST', '/admin/user-tokens/issue', { user_id: rwUser.id, token_name: 'to revoke' });
    const id = issued.body.token.token_id;
    const r = await call('DELETE', `/admin/user-tokens/${id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ token_id: id, user_id: rwUser.id, token_name: 'to revoke', status: 'REVOKED', revoked_at: expect.stringMatching(ISO) });
    expect((await call('DELETE', `/admin/user-tokens/${id}`)).body).toEqual(r.body);
    expect((await call('GET', '/auth/me', undefined, bearer(issued.body.plaintext_token))).status).toBe(401);
    expect(await call('DELETE', '/admin/user-tokens/tok_ffffffffffffffffffffffffffffffff')).toMatchObject({ status: 404, body: { detail: 'Token not found: tok_ffffffffffffffffffffffffffffffff' } });
  });

  it("reads any token's uses (limit up to 2000), with the owner's id", async () => {
    await call('GET', `/objects/?page_size=1`, undefined, rwUser.auth);
    const r = await pollUntil(() => call('GET', `/admin/user-tokens/${rwUser.tokenId}/usage?limit=2000`), (x) => x.body.total >= 1);
    expect(r.status).toBe(200);
    expect(r.body.items[0]).toMatchObject({ token_id: rwUser.tokenId, user_id: rwUser.id, http_method: 'GET', response_status: 200, request_timestamp: expect.stringMatching(ISO) });
    expect((await call('GET', `/admin/user-tokens/${rwUser.tokenId}/usage?limit=2001`)).status).toBe(422);
    expect((await call('GET', '/admin/user-tokens/tok_ffffffffffffffffffffffffffffffff/usage')).status).toBe(404);
  });
});

describe('every response', () => {
  it('never contains the text "uuid" nor a token hash', async () => {
    expect(bodies.length).toBeGreaterThan(40);
    for (const b of bodies) {
      expect(b).not.toMatch(/uuid/i);
      expect(b).not.toMatch(/token_hash|"hash"/);
    }
  });
});
