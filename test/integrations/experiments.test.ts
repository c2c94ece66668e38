// /api/v1/integrations/experiments over real HTTP: the project link (project_id
// wins over project_external_id, 404 project_not_found), refused status writes,
// the contract's order of checks (§3.4), Idempotency-Key replays, the bioAF
// events whichever door made the change, and the REST create against its
// GraphQL twin (same rows, audit entries and events).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { auditFor, newKey, outboxFor, totals } from '../helpers/idempotency.js';
import { client, expectStatus } from './client.js';

let t: TestGateway;
const { call, assertNoInternalIds } = client(() => t);
let project: { id: number; euid: string; external_id: string };

const newExperiment = async (body: Record<string, unknown>) => expectStatus(await call('POST', '/experiments', { name: 'E', ...body }), 201).body;
const eventsOf = (euid: string, type: string) =>
  t.testDb.db.query<{ data: unknown }>(`SELECT data FROM outbox_event WHERE euid = $1 AND type = $2 ORDER BY id`, [euid, type]).then((r) => r.map((e) => e.data));

beforeAll(async () => {
  t = await startTestGateway();
  project = expectStatus(await call('POST', '/projects', { external_id: 'EXP-PROJ', name: 'Parent' }), 201).body;
});
afterAll(async () => {
  await t?.close();
});

describe('POST /experiments', () => {
  it('creates an experiment in a project by project_id; status registered; experiment.created carries the thin ids', async () => {
    const e = await newExperiment({
      external_id: 'EXP-1', name: 'Run 1', project_id: project.id, hypothesis: 'h', description: 'd', expected_sample_count: 12,
      variables_json: { temp: 37, arms: ['a', 'b'] }, custom_fields: [{ field_name: 'batch', field_value: '7' }],
    });
    expect(e).toEqual({
      id: expect.any(Number), euid: expect.stringMatching(/^BXP-/), external_id: 'EXP-1', name: 'Run 1', code: `labge-${String(e.id).padStart(4, '0')}`,
      project_id: project.id, status: 'registered', hypothesis: 'h', description: 'd', expected_sample_count: 12, variables_json: { temp: 37, arms: ['a', 'b'] },
      created_at: expect.any(String), custom_fields: [{ field_name: 'batch', field_value: '7' }],
    });
    expect(await outboxFor(t, e.euid)).toEqual(['experiment.created', 'object.created']);
    expect(await eventsOf(e.euid, 'experiment.created')).toEqual([{ experiment_id: e.id, external_id: 'EXP-1', project_id: project.id }]);
    expect(expectStatus(await call('GET', `/experiments/${e.id}`), 200).body).toEqual(e);
    expect(expectStatus(await call('GET', '/experiments/by-external/EXP-1'), 200).body).toEqual(e);
  });

  it('finds the project by project_external_id; project_id wins when both are sent; neither means no project', async () => {
    const other = expectStatus(await call('POST', '/projects', { external_id: 'EXP-PROJ-2', name: 'Other' }), 201).body;
    expect((await newExperiment({ external_id: 'EXP-BYEXT', project_external_id: 'EXP-PROJ-2' })).project_id).toBe(other.id);
    expect((await newExperiment({ external_id: 'EXP-BOTH', project_id: project.id, project_external_id: 'EXP-PROJ-2' })).project_id).toBe(project.id);
    const none = await newExperiment({ external_id: 'EXP-NONE' });
    expect(none.project_id).toBeNull();
    expect(await eventsOf(none.euid, 'experiment.created')).toEqual([{ experiment_id: none.id, external_id: 'EXP-NONE', project_id: null }]);
  });

  it('answers 404 project_not_found for an unknown project, and 409 for an external_id used in any project', async () => {
    expect(await call('POST', '/experiments', { external_id: 'EXP-404', name: 'x', project_id: 999999 })).toMatchObject({ status: 404, body: { detail: 'project_not_found' } });
    expect(await call('POST', '/experiments', { external_id: 'EXP-404', name: 'x', project_external_id: 'NOPE' })).toMatchObject({ status: 404, body: { detail: 'project_not_found' } });
    expect((await call('GET', '/experiments/by-external/EXP-404')).status).toBe(404);
    // Experiments are unique across every project of the gateway.
    expect(await call('POST', '/experiments', { external_id: 'EXP-1', name: 'x' })).toMatchObject({ status: 409, body: { detail: 'external_id_already_exists' } });
  });

  it('refuses a non-null status with 400 status_writes_not_permitted; status null is accepted', async () => {
    expect(await call('POST', '/experiments', { external_id: 'EXP-ST', name: 'x', status: 'running' })).toMatchObject({ status: 400, body: { detail: 'status_writes_not_permitted' } });
    expect((await newExperiment({ external_id: 'EXP-ST', status: null })).status).toBe('registered');
  });
});

describe('order of checks (§3.4)', () => {
  it('403 before 422 before 400; 400 before the Idempotency-Key lookup; 422 reuse before 404; 404 before 409', async () => {
    const ro = bearer((await mintKey(t, { role: 'READ_ONLY' })).token);
    expect(await call('POST', '/experiments', { status: 'x' }, ro)).toMatchObject({ status: 403, body: { detail: 'role_missing' } });
    // Missing external_id is 422 even with a status in the body.
    expect((await call('POST', '/experiments', { name: 'x', status: 'x' })).status).toBe(422);
    // A key that already holds a completed create: a body with status is still 400, not a replay or a reuse error.
    const key = newKey('order');
    const first = expectStatus(await call('POST', '/experiments', { external_id: 'EXP-ORD', name: 'x' }, undefined, { 'idempotency-key': key }), 201);
    expect(await call('POST', '/experiments', { external_id: 'EXP-ORD', name: 'x', status: 'x' }, undefined, { 'idempotency-key': key }))
      .toMatchObject({ status: 400, body: { detail: 'status_writes_not_permitted' } });
    // Reused with another body: 422 before the 404 the body would get.
    expect(await call('POST', '/experiments', { external_id: 'EXP-ORD2', name: 'x', project_id: 999999 }, undefined, { 'idempotency-key': key }))
      .toMatchObject({ status: 422, body: { detail: 'idempotency_key_reused_with_different_body' } });
    // Unknown project with a duplicate external_id: 404 first.
    expect(await call('POST', '/experiments', { external_id: 'EXP-ORD', name: 'x', project_id: 999999 })).toMatchObject({ status: 404 });
    // PATCH: 400 before the 404 of an unknown target; a bad path id is 422 first.
    expect(await call('PATCH', '/experiments/999999', { status: 'x' })).toMatchObject({ status: 400, body: { detail: 'status_writes_not_permitted' } });
    expect((await call('PATCH', '/experiments/abc', { status: 'x' })).status).toBe(422);
    expect(await call('PATCH', '/experiments/999999', { name: 'x' })).toMatchObject({ status: 404, body: { detail: 'experiment_not_found' } });
    expect(first.body.external_id).toBe('EXP-ORD');
  });
});

describe('Idempotency-Key', () => {
  it('replays a create with 201 and Idempotency-Replayed: true: no second row, audit entry or event; key order and unknown fields do not matter', async () => {
    const key = newKey('exp');
    const first = expectStatus(await call('POST', '/experiments', { external_id: 'EXP-IDEM', name: 'x', project_id: project.id }, undefined, { 'idempotency-key': key }), 201);
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    const before = await totals(t);
    const again = await call('POST', '/experiments', { extra: true, project_id: project.id, name: 'x', external_id: 'EXP-IDEM' }, undefined, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect(await totals(t)).toEqual(before);
    expect((await auditFor(t, first.body.euid))).toHaveLength(1);
    expect(await outboxFor(t, first.body.euid)).toEqual(['experiment.created', 'object.created']);
    // Without the key the same body is a new request: 409.
    expect((await call('POST', '/experiments', { external_id: 'EXP-IDEM', name: 'x' })).status).toBe(409);
  });

  it('does not store failures: a corrected retry with the same key succeeds', async () => {
    const key = newKey('exp-fix');
    expect((await call('POST', '/experiments', { external_id: 'EXP-FIX', name: 'x', project_id: 999999 }, undefined, { 'idempotency-key': key })).status).toBe(404);
    expect((await call('POST', '/experiments', { external_id: 'EXP-FIX', name: 'x', project_id: 999999 }, undefined, { 'idempotency-key': key })).status).toBe(404);
    // Same key, corrected body: the failed attempt left no record behind.
    expect((await call('POST', '/experiments', { external_id: 'EXP-FIX', name: 'x' }, undefined, { 'idempotency-key': key })).status).toBe(201);
  });

  it('covers PATCH too (the concrete path is fingerprinted)', async () => {
    const e = await newExperiment({ external_id: 'EXP-IDEM-P' });
    const key = newKey('exp-patch');
    const a = expectStatus(await call('PATCH', `/experiments/${e.id}`, { name: 'once' }, undefined, { 'idempotency-key': key }), 200);
    const b = await call('PATCH', `/experiments/${e.id}`, { name: 'once' }, undefined, { 'idempotency-key': key });
    expect([b.status, b.headers.get('idempotency-replayed'), b.text]).toEqual([200, 'true', a.text]);
    expect((await auditFor(t, e.euid)).map((x) => x.operation)).toEqual(['updateObject', 'createObject']);
  });
});

describe('PATCH /experiments/{id} and the bioAF events from any door', () => {
  it('updates scalars and keeps the project; experiment.updated lists the changed fields', async () => {
    const e = await newExperiment({ external_id: 'EXP-PATCH', project_id: project.id, expected_sample_count: 3 });
    const r = expectStatus(await call('PATCH', `/experiments/${e.id}`, {
      expected_sample_count: 4, variables_json: { a: 1 }, description: 'x', project_id: 12345, hypothesis: null,
    }), 200);
    expect(r.body).toEqual({ ...e, expected_sample_count: 4, variables_json: { a: 1 }, description: 'x' });
    expect(await eventsOf(e.euid, 'experiment.updated')).toEqual([
      { experiment_id: e.id, external_id: 'EXP-PATCH', changed_fields: ['description', 'expected_sample_count', 'variables_json'] },
    ]);
  });

  it('a status change made through GraphQL emits experiment.status_changed; the REST read shows it', async () => {
    const e = await newExperiment({ external_id: 'EXP-GQL-ST' });
    ok(await t.gql(`mutation($e: ID!) { updateObject(euid: $e, input: { status: "running" }) { id } }`, { e: e.euid }));
    expect(await eventsOf(e.euid, 'experiment.status_changed')).toEqual([{ experiment_id: e.id, external_id: 'EXP-GQL-ST', previous_status: 'registered', status: 'running' }]);
    expect(await eventsOf(e.euid, 'experiment.updated')).toEqual([{ experiment_id: e.id, external_id: 'EXP-GQL-ST', changed_fields: ['status'] }]);
    expect((await call('GET', `/experiments/${e.id}`)).body.status).toBe('running');
    expect((await call('GET', `/experiments?status=running&external_id=EXP-GQL-ST`)).body.items.map((x: { id: number }) => x.id)).toEqual([e.id]);
  });

  it('REST create and its GraphQL twin write the same rows, audit entries and events', async () => {
    const rest = await newExperiment({ external_id: 'TWIN-REST', name: 'twin', project_id: project.id, hypothesis: 'h', custom_fields: [{ field_name: 'k', field_value: 'v' }] });
    const gql = ok(await t.gql(`mutation($i: CreateObjectInput!) { createObject(input: $i) { id } }`, {
      i: { templateCode: 'experiment/generic/generic/1.0', name: 'twin', externalId: 'TWIN-GQL', status: 'registered',
        properties: { hypothesis: 'h', project_euid: project.euid, custom_fields: { k: 'v' } } },
    })).createObject.id as string;
    const rows = await t.testDb.db.query<Record<string, unknown>>(
      `SELECT category, type, subtype, template_id, status, name, properties, external_scope FROM material_object WHERE euid = ANY($1::text[]) ORDER BY id`,
      [[rest.euid, gql]],
    );
    expect(rows[0]).toEqual(rows[1]);
    expect((await auditFor(t, rest.euid)).map((a) => a.operation)).toEqual((await auditFor(t, gql)).map((a) => a.operation));
    expect(await outboxFor(t, rest.euid)).toEqual(await outboxFor(t, gql));
    const viaRest = (await call('GET', '/experiments/by-external/TWIN-GQL')).body;
    expect(viaRest).toMatchObject({ project_id: project.id, hypothesis: 'h', custom_fields: [{ field_name: 'k', field_value: 'v' }] });
    expect((await eventsOf(gql, 'experiment.created'))).toEqual([{ experiment_id: viaRest.id, external_id: 'TWIN-GQL', project_id: project.id }]);
  });
});

describe('GET /experiments', () => {
  it('filters by project_id (422 when not an integer), external_id and q', async () => {
    const p = expectStatus(await call('POST', '/projects', { external_id: 'EXP-FILTER-P', name: 'F' }), 201).body;
    const a = await newExperiment({ external_id: 'EXP-F-A', name: 'Alpha run', project_id: p.id });
    const b = await newExperiment({ external_id: 'EXP-F-B', name: 'Beta run', project_id: p.id });
    expect((await call('GET', `/experiments?project_id=${p.id}`)).body).toEqual({ items: [b, a], next_cursor: null });
    expect((await call('GET', `/experiments?project_id=${p.id}&q=ALPHA`)).body.items).toEqual([a]);
    expect((await call('GET', `/experiments?project_id=${p.id}&q=${b.code}`)).body.items).toEqual([b]);
    expect((await call('GET', `/experiments?project_id=${p.id}&limit=1`)).body).toEqual({ items: [b], next_cursor: String(b.id) });
    const bad = await call('GET', '/experiments?project_id=abc');
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['query', 'project_id']);
    expect((await call('GET', '/experiments?cursor=x')).status).toBe(400);
  });

  it('never answers with a uuid or an internal id', () => {
    assertNoInternalIds();
  });
});
