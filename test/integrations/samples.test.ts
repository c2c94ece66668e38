// /api/v1/integrations/samples over real HTTP: samples belong to one experiment
// (external_id unique per experiment), QC and status are never written here
// (qc checked first), by-external needs experiment_id, Idempotency-Key replays,
// and the sample.* events (a QC change made elsewhere emits sample.qc_changed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { auditFor, newKey, outboxFor, totals } from '../helpers/idempotency.js';
import { client, expectStatus } from './client.js';
import { euidSequence } from '../../src/domain/euid.js';

let t: TestGateway;
const { call, assertNoInternalIds } = client(() => t);
let expA: { id: number; euid: string };
let expB: { id: number; euid: string };

const newSample = async (body: Record<string, unknown>) => expectStatus(await call('POST', '/samples', { experiment_id: expA.id, ...body }), 201).body;
const eventsOf = (euid: string, type: string) =>
  t.testDb.db.query<{ data: unknown }>(`SELECT data FROM outbox_event WHERE euid = $1 AND type = $2 ORDER BY id`, [euid, type]).then((r) => r.map((e) => e.data));

beforeAll(async () => {
  t = await startTestGateway();
  expA = expectStatus(await call('POST', '/experiments', { external_id: 'S-EXP-A', name: 'A' }), 201).body;
  expB = expectStatus(await call('POST', '/experiments', { external_id: 'S-EXP-B', name: 'B' }), 201).body;
});
afterAll(async () => {
  await t?.close();
});

describe('POST /samples', () => {
  it('content of the integration template outside any experiment is no sample: not listed, not found, no sample.* event', async () => {
    const euid = ok(await t.gql(`mutation { createObject(input: { templateCode: "content/sample/integration/1.0", externalId: "S-ORPHAN" }) { id } }`)).createObject.id;
    expect(await outboxFor(t, euid)).toEqual(['content.created', 'object.created']);
    const list = expectStatus(await call('GET', '/samples?external_id=S-ORPHAN'), 200).body;
    expect(list.items).toEqual([]);
    expect((await call('GET', `/samples/${euidSequence(euid, 'BCT')}`)).status).toBe(404);
  });

  it('creates a content object of the integration template in its experiment; every field present; sample.created', async () => {
    const s = await newSample({
      external_id: 'S-1', organism: 'Homo sapiens', tissue_type: 'PBMC', donor_source: 'D1', treatment_condition: 'ctrl', chemistry_version: 'v3',
      cell_count: 5000, prep_notes: 'fresh', molecule_type: 'RNA', library_prep_method: '10x', assay: 'scrna', custom_fields: [{ field_name: 'lane', field_value: '2' }],
    });
    expect(s).toEqual({
      id: expect.any(Number), euid: expect.stringMatching(/^BCT-/), external_id: 'S-1', experiment_id: expA.id, organism: 'Homo sapiens', tissue_type: 'PBMC',
      donor_source: 'D1', treatment_condition: 'ctrl', chemistry_version: 'v3', prep_notes: 'fresh', molecule_type: 'RNA', library_prep_method: '10x',
      cell_count: 5000, assay: 'scrna', qc_status: null, status: 'registered', created_at: expect.any(String), custom_fields: [{ field_name: 'lane', field_value: '2' }],
    });
    const o = ok(await t.gql(`query($e: ID!) { object(euid: $e) { kind category type subtype externalId } }`, { e: s.euid })).object;
    expect(o).toEqual({ kind: 'CONTENT', category: 'content', type: 'sample', subtype: 'integration', externalId: 'S-1' });
    expect(await outboxFor(t, s.euid)).toEqual(['content.created', 'object.created', 'sample.created']);
    expect(await eventsOf(s.euid, 'sample.created')).toEqual([{ sample_id: s.id, external_id: 'S-1', experiment_id: expA.id }]);
    expect(expectStatus(await call('GET', `/samples/${s.id}`), 200).body).toEqual(s);
  });

  it('external_id is unique per experiment: 409 in the same one, fine in another', async () => {
    await newSample({ external_id: 'S-DUP' });
    expect(await call('POST', '/samples', { external_id: 'S-DUP', experiment_id: expA.id })).toMatchObject({ status: 409, body: { detail: 'external_id_already_exists' } });
    const other = expectStatus(await call('POST', '/samples', { external_id: 'S-DUP', experiment_id: expB.id }), 201).body;
    expect(other.experiment_id).toBe(expB.id);
    const byExt = (exp: number) => call('GET', `/samples/by-external/S-DUP?experiment_id=${exp}`);
    expect((await byExt(expA.id)).body.experiment_id).toBe(expA.id);
    expect((await byExt(expB.id)).body).toEqual(other);
    expect((await byExt(999999)).status).toBe(404);
  });

  it('answers 404 experiment_not_found for an unknown experiment, 422 without experiment_id or for an unknown assay', async () => {
    expect(await call('POST', '/samples', { external_id: 'S-404', experiment_id: 999999 })).toMatchObject({ status: 404, body: { detail: 'experiment_not_found' } });
    const missing = await call('POST', '/samples', { external_id: 'S-422' });
    expect(missing.body.detail).toEqual([{ loc: ['body', 'experiment_id'], msg: 'Field required', type: 'missing' }]);
    const assay = await call('POST', '/samples', { external_id: 'S-422', experiment_id: expA.id, assay: 'western-blot' });
    expect(assay.status).toBe(422);
    expect(assay.body.detail[0].loc).toEqual(['body', 'assay']);
    expect((await call('POST', '/samples', { external_id: 'S-422', experiment_id: expA.id, cell_count: 1.5 })).status).toBe(422);
  });

  it('refuses qc_status (checked first) and status, on create and on patch; nulls are accepted', async () => {
    const both = { external_id: 'S-QC', experiment_id: expA.id, qc_status: 'pass', status: 'x' };
    expect(await call('POST', '/samples', both)).toMatchObject({ status: 400, body: { detail: 'qc_writes_not_permitted' } });
    expect(await call('POST', '/samples', { ...both, qc_status: null })).toMatchObject({ status: 400, body: { detail: 'status_writes_not_permitted' } });
    const s = await newSample({ external_id: 'S-QC', qc_status: null, status: null });
    expect(await call('PATCH', `/samples/${s.id}`, { qc_status: 'fail' })).toMatchObject({ status: 400, body: { detail: 'qc_writes_not_permitted' } });
    expect(await call('PATCH', '/samples/999999', { status: 'x' })).toMatchObject({ status: 400, body: { detail: 'status_writes_not_permitted' } });
    expect((await call('GET', `/samples/${s.id}`)).body).toMatchObject({ qc_status: null, status: 'registered' });
  });
});

describe('GET /samples/by-external/{external_id}', () => {
  it('needs experiment_id (422 in the query)', async () => {
    const r = await call('GET', '/samples/by-external/S-1');
    expect(r.status).toBe(422);
    expect(r.body.detail).toEqual([expect.objectContaining({ loc: ['query', 'experiment_id'] })]);
  });
});

describe('PATCH /samples/{id}', () => {
  it('writes given fields, never external_id or experiment_id; custom fields as a delta; sample.updated', async () => {
    const s = await newSample({ external_id: 'S-PATCH', organism: 'mouse', custom_fields: [{ field_name: 'a', field_value: '1' }, { field_name: 'b', field_value: '2' }] });
    const r = expectStatus(await call('PATCH', `/samples/${s.id}`, {
      organism: 'rat', cell_count: 10, external_id: 'X', experiment_id: expB.id, tissue_type: null,
      custom_fields: [{ field_name: 'a', field_value: null }, { field_name: 'c', field_value: '3' }],
    }), 200);
    expect(r.body).toEqual({ ...s, organism: 'rat', cell_count: 10, custom_fields: [{ field_name: 'b', field_value: '2' }, { field_name: 'c', field_value: '3' }] });
    expect(await eventsOf(s.euid, 'sample.updated')).toEqual([{ sample_id: s.id, external_id: 'S-PATCH', changed_fields: ['organism', 'cell_count'] }]);
    expect(await call('PATCH', '/samples/999999', { organism: 'x' })).toMatchObject({ status: 404, body: { detail: 'sample_not_found' } });
  });

  it('a QC result recorded through GraphQL emits sample.qc_changed, and the REST read shows it', async () => {
    const s = await newSample({ external_id: 'S-QC-GQL' });
    ok(await t.gql(`mutation($e: ID!) { updateObject(euid: $e, input: { properties: { qc_status: "pass" } }) { id } }`, { e: s.euid }));
    expect(await eventsOf(s.euid, 'sample.qc_changed')).toEqual([{ sample_id: s.id, external_id: 'S-QC-GQL', experiment_id: expA.id, qc_status: 'pass' }]);
    expect((await call('GET', `/samples/${s.id}`)).body.qc_status).toBe('pass');
  });
});

describe('Idempotency-Key on POST /samples', () => {
  it('replays 201 with Idempotency-Replayed: true and changes nothing; another body with the key is 422', async () => {
    const key = newKey('sample');
    const body = { external_id: 'S-IDEM', experiment_id: expA.id, organism: 'yeast' };
    const first = expectStatus(await call('POST', '/samples', body, undefined, { 'idempotency-key': key }), 201);
    const before = await totals(t);
    const replay = await call('POST', '/samples', { ...body, tissue_type: null }, undefined, { 'idempotency-key': key });
    expect([replay.status, replay.headers.get('idempotency-replayed'), replay.text]).toEqual([201, 'true', first.text]);
    expect(await totals(t)).toEqual(before);
    expect(await outboxFor(t, first.body.euid)).toEqual(['content.created', 'object.created', 'sample.created']);
    expect(await auditFor(t, first.body.euid)).toHaveLength(1);
    const reused = await call('POST', '/samples', { ...body, organism: 'other' }, undefined, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.detail).toBe('idempotency_key_reused_with_different_body');
    // The same key on another endpoint is another request too.
    expect((await call('POST', '/projects', { external_id: 'S-IDEM', name: 'x' }, undefined, { 'idempotency-key': key })).status).toBe(422);
    expect((await call('POST', '/samples', body, undefined, { 'idempotency-key': 'x'.repeat(256) }))).toMatchObject({ status: 400, body: { detail: 'invalid_idempotency_key' } });
  });
});

describe('GET /samples', () => {
  it('filters by experiment_id, external_id and q (external_id or organism)', async () => {
    const e = expectStatus(await call('POST', '/experiments', { external_id: 'S-EXP-LIST', name: 'L' }), 201).body;
    const a = expectStatus(await call('POST', '/samples', { external_id: 'L-1', experiment_id: e.id, organism: 'Danio rerio' }), 201).body;
    const b = expectStatus(await call('POST', '/samples', { external_id: 'L-2', experiment_id: e.id, organism: 'Mus musculus' }), 201).body;
    expect((await call('GET', `/samples?experiment_id=${e.id}`)).body).toEqual({ items: [b, a], next_cursor: null });
    expect((await call('GET', `/samples?experiment_id=${e.id}&q=danio`)).body.items).toEqual([a]);
    expect((await call('GET', `/samples?experiment_id=${e.id}&q=l-2`)).body.items).toEqual([b]);
    expect((await call('GET', `/samples?experiment_id=${e.id}&limit=1`)).body).toEqual({ items: [b], next_cursor: String(b.id) });
    expect((await call('GET', `/samples?experiment_id=${e.id}&limit=1&cursor=${b.id}`)).body).toEqual({ items: [a], next_cursor: null });
    expect((await call('GET', '/samples?external_id=L-1')).body.items).toEqual([a]);
    // Content that is not an integration sample is not listed.
    ok(await t.gql(`mutation { createObject(input: { templateCode: "content/sample/gdna/1.0", externalId: "L-1" }) { id } }`));
    expect((await call('GET', '/samples?external_id=L-1')).body.items).toEqual([a]);
  });

  it('never answers with a uuid or an internal id', () => {
    assertNoInternalIds();
  });
});
