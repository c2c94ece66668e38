// /api/v1/integrations/projects over real HTTP (bioAF §3–§4): create / list /
// get / by-external / patch, the integer id and server code, 409 on a duplicate
// external_id, custom-field deltas, cursor pagination edges, who may call
// (API keys only; role before key scope), and no uuid or internal id anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { createUser, mintUserToken } from '../helpers/matrixAccounts.js';
import { auditFor, outboxFor } from '../helpers/idempotency.js';
import { euidSequence } from '../../src/domain/euid.js';
import { client, expectStatus } from './client.js';

const JWT_SECRET = 'integrations-test-shared-secret-0123456789';
let t: TestGateway;
const { call, assertNoInternalIds } = client(() => t);

const newProject = async (body: Record<string, unknown>) => expectStatus(await call('POST', '/projects', { name: 'P', ...body }), 201).body;

beforeAll(async () => {
  t = await startTestGateway({ env: { JWT_SECRET, JWT_ISSUER: 'https://idp.test', JWT_AUDIENCE: 'labgraph' } });
});
afterAll(async () => {
  await t?.close();
});

describe('POST /projects', () => {
  it('creates a project object: integer id from its EUID, server code, forced status, every field present', async () => {
    const r = expectStatus(await call('POST', '/projects', {
      external_id: 'LIMS-P-1', name: 'Atlas', description: 'whole-body atlas', hypothesis: 'cells differ', code: 'IGNORED', status: 'archived',
      custom_fields: [{ field_name: 'pi', field_value: 'Ada' }], unknown_field: 1,
    }), 201);
    expect(r.body).toEqual({
      id: expect.any(Number), euid: expect.stringMatching(/^BPJ-/), external_id: 'LIMS-P-1', name: 'Atlas', code: expect.stringMatching(/^labgp-\d{4,}$/),
      description: 'whole-body atlas', hypothesis: 'cells differ', status: 'active', created_at: expect.stringMatching(/Z$/),
      custom_fields: [{ field_name: 'pi', field_value: 'Ada' }],
    });
    expect(BigInt(r.body.id)).toBe(euidSequence(r.body.euid, 'BPJ'));
    expect(r.body.code).toBe(`labgp-${String(r.body.id).padStart(4, '0')}`);
    const o = (await t.gql(`query($e: ID!) { object(euid: $e) { category externalId status name } }`, { e: r.body.euid })).data!.object;
    expect(o).toEqual({ category: 'project', externalId: 'LIMS-P-1', status: 'active', name: 'Atlas' });
    // The write was audited and announced in its transaction.
    expect((await auditFor(t, r.body.euid)).map((a) => a.operation)).toEqual(['createObject']);
    expect(await outboxFor(t, r.body.euid)).toEqual(['object.created', 'project.created']);
    const [ev] = await t.testDb.db.query<{ data: unknown }>(`SELECT data FROM outbox_event WHERE euid = $1 AND type = 'project.created'`, [r.body.euid]);
    expect(ev.data).toEqual({ project_id: r.body.id, external_id: 'LIMS-P-1' });
  });

  it('codes count up and nulls are present for what was not given', async () => {
    const a = await newProject({ external_id: 'LIMS-P-2' });
    const b = await newProject({ external_id: 'LIMS-P-3' });
    expect(b.id).toBeGreaterThan(a.id);
    expect(a).toMatchObject({ description: null, hypothesis: null, custom_fields: [] });
  });

  it('answers 409 external_id_already_exists for a duplicate and writes nothing', async () => {
    await newProject({ external_id: 'DUP-P' });
    const before = (await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM material_object WHERE external_id = 'DUP-P'`))[0].n;
    const dup = await call('POST', '/projects', { external_id: 'DUP-P', name: 'again' });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ detail: 'external_id_already_exists' });
    expect((await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM material_object WHERE external_id = 'DUP-P'`))[0].n).toBe(before);
  });

  it('answers 409, never 500, when two creates race for one external_id', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/projects', { external_id: 'RACE-P', name: 'r' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body).toEqual({ detail: 'external_id_already_exists' });
  });

  it('answers 422 FastAPI lists for missing or invalid fields', async () => {
    const missing = await call('POST', '/projects', { name: 'x' });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([{ loc: ['body', 'external_id'], msg: 'Field required', type: 'missing' }]);
    const long = await call('POST', '/projects', { external_id: 'x'.repeat(256), name: '' });
    expect(long.status).toBe(422);
    expect(long.body.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([['body', 'external_id'], ['body', 'name']]);
    const badCf = await call('POST', '/projects', { external_id: 'CF', name: 'x', custom_fields: [{ field_value: 'v' }] });
    expect(badCf.body.detail[0].loc).toEqual(['body', 'custom_fields', 0, 'field_name']);
    expect((await call('POST', '/projects', [1, 2])).status).toBe(422);
  });
});

describe('GET /projects/{id}, /projects/by-external/{external_id}', () => {
  it('reads a project back by id and by external id; 404 project_not_found otherwise; 422 for a non-integer id', async () => {
    const p = await newProject({ external_id: 'GET-P', description: 'd' });
    expect(expectStatus(await call('GET', `/projects/${p.id}`), 200).body).toEqual(p);
    expect(expectStatus(await call('GET', '/projects/by-external/GET-P'), 200).body).toEqual(p);
    expect(await call('GET', '/projects/999999')).toMatchObject({ status: 404, body: { detail: 'project_not_found' } });
    expect(await call('GET', '/projects/by-external/NOPE')).toMatchObject({ status: 404, body: { detail: 'project_not_found' } });
    const bad = await call('GET', '/projects/abc');
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['path', 'project_id']);
    expect((await call('GET', '/projects/0')).status).toBe(422);
  });

  it('does not show deleted projects', async () => {
    const p = await newProject({ external_id: 'DEL-P' });
    await t.gql(`mutation($e: ID!) { deleteObject(euid: $e) { euid } }`, { e: p.euid });
    expect((await call('GET', `/projects/${p.id}`)).status).toBe(404);
    expect((await call('GET', '/projects/by-external/DEL-P')).status).toBe(404);
    // Soft delete frees the external_id.
    expect((await call('POST', '/projects', { external_id: 'DEL-P', name: 'again' })).status).toBe(201);
  });
});

describe('PATCH /projects/{id}', () => {
  it('writes only fields present and non-null; custom_fields is a delta (add, update, null deletes, rest untouched)', async () => {
    const p = await newProject({
      external_id: 'PATCH-P', description: 'keep', custom_fields: [{ field_name: 'a', field_value: '1' }, { field_name: 'b', field_value: '2' }, { field_name: 'z', field_value: 'z' }],
    });
    const r = expectStatus(await call('PATCH', `/projects/${p.id}`, {
      name: 'Renamed', description: null, hypothesis: 'h', external_id: 'CANNOT', status: 'closed',
      custom_fields: [{ field_name: 'b', field_value: '3' }, { field_name: 'c', field_value: '4' }, { field_name: 'a', field_value: null }],
    }), 200);
    expect(r.body).toEqual({
      ...p, name: 'Renamed', hypothesis: 'h', description: 'keep',
      custom_fields: [{ field_name: 'b', field_value: '3' }, { field_name: 'c', field_value: '4' }, { field_name: 'z', field_value: 'z' }],
    });
    // An omitted or empty list leaves custom fields alone.
    expect((await call('PATCH', `/projects/${p.id}`, { custom_fields: [] })).body.custom_fields).toEqual(r.body.custom_fields);
    expect((await call('PATCH', `/projects/${p.id}`, { description: 'new' })).body).toEqual({ ...r.body, description: 'new' });
    expect(await call('GET', `/projects/${p.id}`)).toMatchObject({ body: { ...r.body, description: 'new' } });
  });

  it('audits every PATCH (an empty one too) and emits project.updated with the changed fields', async () => {
    const p = await newProject({ external_id: 'EV-P' });
    expectStatus(await call('PATCH', `/projects/${p.id}`, { name: 'n2', hypothesis: 'h2' }), 200);
    expectStatus(await call('PATCH', `/projects/${p.id}`, {}), 200);
    expect((await auditFor(t, p.euid)).map((a) => a.operation)).toEqual(['updateObject', 'updateObject', 'createObject']);
    const evs = await t.testDb.db.query<{ data: unknown }>(`SELECT data FROM outbox_event WHERE euid = $1 AND type = 'project.updated' ORDER BY id`, [p.euid]);
    expect(evs.map((e) => e.data)).toEqual([
      { project_id: p.id, external_id: 'EV-P', changed_fields: ['name', 'hypothesis'] },
      { project_id: p.id, external_id: 'EV-P', changed_fields: [] },
    ]);
  });

  it('answers 404 project_not_found for an unknown id and 422 for a bad body', async () => {
    expect(await call('PATCH', '/projects/999999', { name: 'x' })).toMatchObject({ status: 404, body: { detail: 'project_not_found' } });
    const p = await newProject({ external_id: 'BAD-PATCH' });
    expect((await call('PATCH', `/projects/${p.id}`, { name: '' })).status).toBe(422);
  });
});

describe('GET /projects (cursor pages)', () => {
  it('pages id DESC with limit+1 lookahead: an exactly full last page has next_cursor null', async () => {
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await newProject({ external_id: `PG-${i}`, name: `pager ${i}` }));
    const ids = made.map((p) => p.id).reverse();
    const p1 = expectStatus(await call('GET', '/projects?q=PAGER&limit=2'), 200).body;
    expect(p1.items.map((p: { id: number }) => p.id)).toEqual(ids.slice(0, 2));
    expect(p1.next_cursor).toBe(String(ids[1]));
    const p2 = expectStatus(await call('GET', `/projects?q=pager&limit=2&cursor=${p1.next_cursor}`), 200).body;
    expect(p2.items.map((p: { id: number }) => p.id)).toEqual(ids.slice(2));
    expect(p2.next_cursor).toBeNull();
    const p3 = await call('GET', '/projects?q=pager&limit=3');
    expect(p3.body.next_cursor).toBe(String(ids[2]));
    expect((await call('GET', `/projects?q=pager&limit=3&cursor=${p3.body.next_cursor}`)).body).toEqual({ items: [made[0]], next_cursor: null });
    // An empty cursor is ignored.
    expect((await call('GET', '/projects?q=pager&cursor=')).body.items).toHaveLength(4);
  });

  it('filters by external_id, status and q (name or code, case-insensitive)', async () => {
    const p = await newProject({ external_id: 'FILTER-P', name: 'Zebrafish Screen' });
    expect((await call('GET', '/projects?external_id=FILTER-P')).body.items).toEqual([p]);
    expect((await call('GET', '/projects?q=zebrafish')).body.items).toEqual([p]);
    expect((await call('GET', `/projects?q=${p.code.toUpperCase()}`)).body.items).toEqual([p]);
    expect((await call('GET', '/projects?q=%25')).body.items.length).toBe(0); // % is literal
    expect((await call('GET', '/projects?external_id=FILTER-P&status=closed')).body.items).toEqual([]);
    expect((await call('GET', '/projects?external_id=FILTER-P&status=active')).body.items).toEqual([p]);
  });

  it('limit defaults to 50 and must be 1–200 (422); a non-integer cursor is 400 invalid_cursor', async () => {
    const fresh = await startTestGateway();
    try {
      const c = client(() => fresh);
      for (let i = 0; i < 51; i++) expectStatus(await c.call('POST', '/projects', { external_id: `D-${i}`, name: `d${i}` }), 201);
      const all = await c.call('GET', '/projects');
      expect(all.body.items).toHaveLength(50);
      expect(all.body.next_cursor).toBe(String(all.body.items[49].id));
      expect((await c.call('GET', `/projects?cursor=${all.body.next_cursor}`)).body).toMatchObject({ items: [expect.objectContaining({ external_id: 'D-0' })], next_cursor: null });
      expect((await c.call('GET', '/projects?limit=200')).body.items).toHaveLength(51);
      for (const bad of ['0', '201', 'x', '1.5']) {
        const r = await c.call('GET', `/projects?limit=${bad}`);
        expect(r.status, bad).toBe(422);
        expect(r.body.detail[0].loc).toEqual(['query', 'limit']);
      }
      for (const bad of ['abc', '1.5', '12x']) expect(await c.call('GET', `/projects?cursor=${bad}`)).toMatchObject({ status: 400, body: { detail: 'invalid_cursor' } });
      expect((await c.call('GET', '/projects?cursor=99999999999999999999999')).body.items).toHaveLength(50);
      expect((await c.call('GET', '/projects?cursor=1')).body).toEqual({ items: [], next_cursor: null });
      c.assertNoInternalIds();
    } finally {
      await fresh.close();
    }
  });
});

describe('who may call', () => {
  it('401 without a credential; JWTs are refused with api_key_required', async () => {
    const none = await call('GET', '/projects', undefined, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const jwt = await new SignJWT({ roles: ['ADMIN'] }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://idp.test').setAudience('labgraph')
      .setSubject('someone').setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(JWT_SECRET));
    const r = await call('GET', '/projects', undefined, bearer(jwt));
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ detail: 'api_key_required' });
    // A Bloom user token is a person's credential too.
    const user = await createUser(t, 'ADMIN', ['API_ACCESS']);
    const token = await mintUserToken(t, user.id, 'admin');
    expect(await call('POST', '/projects', { external_id: 'UT-P', name: 'x' }, bearer(token.secret))).toMatchObject({ status: 401, body: { detail: 'api_key_required' } });
    expect((await call('GET', '/projects', undefined, { authorization: 'Bearer lgk_nope.nope' })).status).toBe(401);
  });

  it('views need objects:read, creates and edits objects:write: 403 role_missing before key_scope_missing', async () => {
    const ro = bearer((await mintKey(t, { role: 'READ_ONLY' })).token);
    const scoped = bearer((await mintKey(t, { role: 'READ_WRITE', scopes: ['objects:read'] })).token);
    const rw = bearer((await mintKey(t, { role: 'READ_WRITE' })).token);
    const p = await newProject({ external_id: 'AUTH-P' });
    expect((await call('GET', `/projects/${p.id}`, undefined, ro)).status).toBe(200);
    expect(await call('POST', '/projects', { external_id: 'AUTH-RO', name: 'x' }, ro)).toMatchObject({ status: 403, body: { detail: 'role_missing' } });
    expect(await call('PATCH', `/projects/${p.id}`, { name: 'x' }, ro)).toMatchObject({ status: 403, body: { detail: 'role_missing' } });
    expect(await call('POST', '/projects', { external_id: 'AUTH-S', name: 'x' }, scoped)).toMatchObject({ status: 403, body: { detail: 'key_scope_missing' } });
    expect((await call('GET', '/projects', undefined, scoped)).status).toBe(200);
    const made = expectStatus(await call('POST', '/projects', { external_id: 'AUTH-RW', name: 'x' }, rw), 201);
    expect((await auditFor(t, made.body.euid))).toHaveLength(1);
  });

  it('unknown routes under the base answer 404 Not Found', async () => {
    expect(await call('GET', '/nothing-here')).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    expect((await call('DELETE', '/projects/1')).status).toBe(404);
  });

  it('never answers with a uuid or an internal id', () => {
    assertNoInternalIds();
  });
});
