// Bloom §1.8 /api/v1/subjects over real HTTP: CRUD of objects of category
// subject, external_id as the first-class external id (mirrored in
// properties.external_id), the specimens of a subject, auth, and the REST create
// against its GraphQL twin (same rows, audit entries, events).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { auditFor, outboxFor } from '../helpers/idempotency.js';
import { BLOOD, GDNA, SAMPLE, TUBE, create, link } from '../helpers/fixtures.js';

let t: TestGateway;
let readOnly: Record<string, string>;
let patientTpl: string;
let genericTpl: string;
let sampleTpl: string;
const bodies: string[] = [];

async function call(method: string, path: string, body?: unknown, auth: Record<string, string> | null = adminAuth) {
  const headers: Record<string, string> = { ...(auth ?? {}) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${t.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

const tplEuid = async (code: string): Promise<string> => ok(await t.gql(`query($c: ID!) { template(ref: $c) { euid } }`, { c: code })).template.euid;

async function newSubject(body: Record<string, unknown> = {}): Promise<string> {
  const r = await call('POST', '/subjects/', { template_euid: patientTpl, ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.euid;
}

beforeAll(async () => {
  t = await startTestGateway();
  readOnly = bearer((await mintKey(t, { role: 'READ_ONLY' })).token);
  patientTpl = await tplEuid('subject/patient/generic/1.0');
  genericTpl = await tplEuid('subject/generic/generic/1.0');
  sampleTpl = await tplEuid(SAMPLE);
});
afterAll(async () => {
  await t?.close();
});

describe('POST /subjects/', () => {
  it('creates a subject from a subject template; external_id is the object externalId and properties.external_id', async () => {
    const r = await call('POST', '/subjects/', { template_euid: patientTpl, name: 'Patient 42', external_id: 'MRN-42', json_addl: { properties: { sex: 'F' } } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ success: true, euid: expect.stringMatching(/^BSJ-/), message: 'Subject created successfully' });
    const o = ok(await t.gql(`query($e: ID!) { object(euid: $e) { kind category type name externalId properties } }`, { e: r.body.euid })).object;
    expect(o).toEqual({ kind: 'SUBJECT', category: 'subject', type: 'patient', name: 'Patient 42', externalId: 'MRN-42', properties: { sex: 'F', external_id: 'MRN-42' } });
    const byExt = ok(await t.gql(`{ objectByExternalId(kind: SUBJECT, externalId: "MRN-42") { id } }`)).objectByExternalId;
    expect(byExt.id).toBe(r.body.euid);
  });

  it('takes a flat json_addl as properties, and serves the path without a trailing slash', async () => {
    const r = await call('POST', '/subjects', { template_euid: genericTpl, json_addl: { cohort: 'A' } });
    expect(r.status).toBe(200);
    const o = ok(await t.gql(`query($e: ID!) { object(euid: $e) { name type properties } }`, { e: r.body.euid })).object;
    expect(o).toEqual({ name: r.body.euid, type: 'generic', properties: { cohort: 'A' } });
  });

  it('answers 409 when the external_id is already used by a live subject, and frees it on delete', async () => {
    const first = await newSubject({ external_id: 'MRN-dup' });
    const dup = await call('POST', '/subjects/', { template_euid: patientTpl, external_id: 'MRN-dup' });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ detail: expect.stringContaining('external_id') });
    expect((await call('DELETE', `/subjects/${first}`)).status).toBe(200);
    expect((await call('POST', '/subjects/', { template_euid: patientTpl, external_id: 'MRN-dup' })).status).toBe(200);
  });

  it('answers 422 without template_euid, 404 for an unknown template, 400 for a non-subject template', async () => {
    const missing = await call('POST', '/subjects/', { name: 'x' });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([expect.objectContaining({ loc: ['body', 'template_euid'], msg: 'Field required' })]);
    const unknown = await call('POST', '/subjects/', { template_euid: 'BGT-NOPE' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: 'Template not found: BGT-NOPE' });
    const wrong = await call('POST', '/subjects/', { template_euid: sampleTpl });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ detail: `Template is not a subject template: ${sampleTpl}` });
    const badExt = await call('POST', '/subjects/', { template_euid: patientTpl, external_id: 'x'.repeat(256) });
    expect(badExt.status).toBe(422);
  });

  it('needs write permission: 403 for READ_ONLY (a deliberate divergence from Bloom), 401 without a credential', async () => {
    const ro = await call('POST', '/subjects/', { template_euid: patientTpl }, readOnly);
    expect(ro.status).toBe(403);
    expect(ro.body.detail).toMatch(/objects:write/);
    const none = await call('POST', '/subjects/', { template_euid: patientTpl }, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('writes the same kinds of rows, audit entries and events as its GraphQL twin', async () => {
    const rest = await call('POST', '/subjects/', { template_euid: patientTpl, name: 'twin', external_id: 'TWIN-REST', json_addl: { properties: { k: 1 } } });
    const gql = ok(await t.gql(`mutation($i: CreateObjectInput!) { createObject(input: $i) { id } }`, {
      i: { templateEuid: patientTpl, name: 'twin', externalId: 'TWIN-GQL', properties: { k: 1, external_id: 'TWIN-GQL' } },
    })).createObject.id;
    const rows = await t.testDb.db.query<Record<string, any>>(
      `SELECT euid, category, type, subtype, template_id, status, name, properties, external_id FROM material_object WHERE euid = ANY($1::text[]) ORDER BY id`,
      [[rest.body.euid, gql]],
    );
    // Same row but for the EUID and the (unique) external id, which both doors mirror into properties.external_id.
    const norm = ({ euid: _e, external_id: x, properties: { external_id: px, ...props }, ...r }: Record<string, any>) => ({ ...r, props, mirrored: x === px });
    expect(norm(rows[0])).toEqual(norm(rows[1]));
    expect(norm(rows[0]).mirrored).toBe(true);
    expect((await auditFor(t, rest.body.euid)).map((a) => a.operation)).toEqual((await auditFor(t, gql)).map((a) => a.operation));
    expect((await auditFor(t, rest.body.euid)).map((a) => a.operation)).toEqual(['createObject']);
    expect(await outboxFor(t, rest.body.euid)).toEqual(await outboxFor(t, gql));
    expect(await outboxFor(t, rest.body.euid)).toEqual(['object.created']);
  });
});

describe('GET /subjects/ and /subjects/{euid}', () => {
  it('lists only live subjects, filtered by subtype/status, paged', async () => {
    const fresh = await startTestGateway();
    try {
      const tpl = ok(await fresh.gql(`{ template(ref: "subject/patient/generic/1.0") { euid } }`)).template.euid;
      const euids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${fresh.url}/api/v1/subjects/`, {
          method: 'POST', headers: { ...adminAuth, 'content-type': 'application/json' }, body: JSON.stringify({ template_euid: tpl, name: `s${i}` }),
        });
        euids.push(((await res.json()) as { euid: string }).euid);
      }
      await create(fresh, { templateCode: SAMPLE }); // not a subject
      await fresh.gql(`mutation($e: ID!, $i: UpdateObjectInput!) { updateObject(euid: $e, input: $i) { id } }`, { e: euids[1], i: { status: 'withdrawn' } });
      await fresh.gql(`mutation($e: ID!) { deleteObject(euid: $e) { euid } }`, { e: euids[4] });
      const list = async (q: string) => {
        const res = await fetch(`${fresh.url}/api/v1/subjects/?${q}`, { headers: adminAuth });
        const text = await res.text();
        bodies.push(text);
        return { status: res.status, body: JSON.parse(text) };
      };
      const all = await list('');
      expect(all.body).toEqual({
        items: euids.slice(0, 4).map((euid, i) => ({ euid, name: `s${i}`, type: 'patient', subtype: 'generic', status: i === 1 ? 'withdrawn' : 'active' })),
        total: 4, page: 1, page_size: 50,
      });
      expect((await list('page=2&page_size=3')).body).toMatchObject({ items: [{ euid: euids[3] }], total: 4, page: 2, page_size: 3 });
      expect((await list('page=3&page_size=3')).body.items).toEqual([]);
      expect((await list('status=withdrawn')).body.items.map((i: any) => i.euid)).toEqual([euids[1]]);
      expect((await list('subtype=GENERIC')).body.total).toBe(4);
      expect((await list('subtype=other')).body.total).toBe(0);
      expect((await list('page=0')).status).toBe(422);
      expect((await list('page_size=1001')).status).toBe(422);
    } finally {
      await fresh.close();
    }
  });

  it('gets a subject with json_addl; 404 "Subject not found" for unknown, deleted and non-subject EUIDs', async () => {
    const euid = await newSubject({ name: 'got', external_id: 'MRN-get' });
    const r = await call('GET', `/subjects/${euid}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ euid, name: 'got', type: 'patient', subtype: 'generic', status: 'active', json_addl: { properties: { external_id: 'MRN-get' } } });
    expect((await call('GET', '/subjects/BSJ-NOPE')).body).toEqual({ detail: 'Subject not found: BSJ-NOPE' });
    const sample = await create(t, { templateCode: SAMPLE });
    const notSubject = await call('GET', `/subjects/${sample}`);
    expect(notSubject.status).toBe(404);
    expect(notSubject.body).toEqual({ detail: `Subject not found: ${sample}` });
    await call('DELETE', `/subjects/${euid}`);
    expect((await call('GET', `/subjects/${euid}`)).status).toBe(404);
  });

  it('answers 401 without a credential and serves READ_ONLY', async () => {
    expect((await call('GET', '/subjects/', undefined, null)).status).toBe(401);
    expect((await call('GET', '/subjects/', undefined, readOnly)).status).toBe(200);
  });
});

describe('PUT /subjects/{euid}', () => {
  it('updates name, status and merges json_addl properties', async () => {
    const euid = await newSubject({ json_addl: { properties: { a: 1, b: 2 } } });
    const r = await call('PUT', `/subjects/${euid}`, { name: 'renamed', status: 'consented', json_addl: { properties: { b: 3, c: 4 } } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ success: true, euid, message: 'Subject updated successfully' });
    const o = ok(await t.gql(`query($e: ID!) { object(euid: $e) { name status properties } }`, { e: euid })).object;
    expect(o).toEqual({ name: 'renamed', status: 'consented', properties: { a: 1, b: 3, c: 4 } });
    expect((await auditFor(t, euid)).map((a) => a.operation)).toEqual(['updateObject', 'createObject']);
  });

  it('answers 404 for unknown or non-subject EUIDs, 422 for a bad status, 403 for READ_ONLY', async () => {
    expect((await call('PUT', '/subjects/BSJ-NOPE', { name: 'x' })).body).toEqual({ detail: 'Subject not found: BSJ-NOPE' });
    const sample = await create(t, { templateCode: GDNA });
    const ns = await call('PUT', `/subjects/${sample}`, { name: 'x' });
    expect(ns.status).toBe(404);
    expect(ok(await t.gql(`query($e: ID!) { object(euid: $e) { name } }`, { e: sample })).object.name).toBe(sample);
    const euid = await newSubject();
    const bad = await call('PUT', `/subjects/${euid}`, { status: 'Not A Status' });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc).toEqual(['body', 'status']);
    expect((await call('PUT', `/subjects/${euid}`, { name: 'x' }, readOnly)).status).toBe(403);
    expect((await call('PUT', `/subjects/${euid}`, { json_addl: 'nope' })).status).toBe(422);
  });
});

describe('DELETE /subjects/{euid}', () => {
  it('soft-deletes (then 404) and emits object.deleted; a second delete is 404', async () => {
    const euid = await newSubject();
    const r = await call('DELETE', `/subjects/${euid}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ success: true, euid, message: 'Subject soft deleted' });
    expect(await outboxFor(t, euid)).toEqual(['object.created', 'object.deleted']);
    expect((await call('DELETE', `/subjects/${euid}`)).body).toEqual({ detail: `Subject not found: ${euid}` });
    const [row] = await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM material_object WHERE euid = $1 AND deleted_at IS NOT NULL`, [euid]);
    expect(row.n).toBe(1);
  });

  it('hard-deletes with hard_delete=true; refuses non-subjects (404) and READ_ONLY (403)', async () => {
    const euid = await newSubject();
    expect((await call('DELETE', `/subjects/${euid}`, undefined, readOnly)).status).toBe(403);
    const r = await call('DELETE', `/subjects/${euid}?hard_delete=true`);
    expect(r.body).toEqual({ success: true, euid, message: 'Subject permanently deleted' });
    const [row] = await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM material_object WHERE euid = $1`, [euid]);
    expect(row.n).toBe(0);
    const sample = await create(t, { templateCode: SAMPLE });
    expect((await call('DELETE', `/subjects/${sample}`)).status).toBe(404);
  });
});

describe('GET /subjects/{euid}/specimens', () => {
  it('lists live content children of type specimen or sample, each once', async () => {
    const subject = await newSubject({ name: 'donor' });
    const blood = await create(t, { templateCode: BLOOD, name: 'blood' });
    const gdna = await create(t, { templateCode: GDNA, name: 'gdna' });
    const gone = await create(t, { templateCode: SAMPLE, name: 'gone' });
    const reagent = await create(t, { templateCode: 'content/reagent/generic/1.0' });
    const tube = await create(t, { templateCode: TUBE });
    const grandchild = await create(t, { templateCode: SAMPLE });
    await link(t, subject, blood);
    await link(t, subject, blood, 'collected_from');
    await link(t, subject, gdna, 'derived');
    await link(t, subject, gone);
    await link(t, subject, reagent);
    await link(t, subject, tube);
    await link(t, blood, grandchild);
    await link(t, gdna, await create(t, { templateCode: SAMPLE })); // a grandchild: not the subject's
    await t.gql(`mutation($e: ID!) { deleteObject(euid: $e) { euid } }`, { e: gone });
    const r = await call('GET', `/subjects/${subject}/specimens`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      subject_euid: subject,
      specimens: [
        { euid: blood, name: 'blood', type: 'specimen', subtype: 'blood-whole', status: 'active' },
        { euid: gdna, name: 'gdna', type: 'sample', subtype: 'gdna', status: 'active' },
      ],
      count: 2,
    });
  });

  it('is empty for a subject without specimens; 404 for unknown or non-subject EUIDs; 401 without a credential', async () => {
    const subject = await newSubject();
    expect((await call('GET', `/subjects/${subject}/specimens`)).body).toEqual({ subject_euid: subject, specimens: [], count: 0 });
    expect((await call('GET', '/subjects/BSJ-NOPE/specimens')).body).toEqual({ detail: 'Subject not found: BSJ-NOPE' });
    const sample = await create(t, { templateCode: SAMPLE });
    expect((await call('GET', `/subjects/${sample}/specimens`)).status).toBe(404);
    expect((await call('GET', `/subjects/${subject}/specimens`, undefined, null)).status).toBe(401);
  });
});

describe('every response', () => {
  it('never contains "uuid"', () => {
    expect(bodies.length).toBeGreaterThan(30);
    for (const b of bodies) expect(b).not.toMatch(/uuid/i);
  });
});
