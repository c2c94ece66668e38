// The integrations OpenAPI document (built from integrationSpecs) against real
// responses: every documented operation is exercised over HTTP — successes and
// the documented errors — and each response must match the document exactly
// (closed objects: a leaked field fails). The served document is the same one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { link } from '../helpers/fixtures.js';
import { newKey } from '../helpers/idempotency.js';
import { OpenApiChecker } from '../helpers/openapi.js';
import { WEBHOOK_ENV, startReceiver, waitFor, type Receiver } from '../helpers/webhooks.js';
import { buildOpenApiDocument, type OpenApiDocument } from '../../rest-compat/openapi/document.js';
import { bloomErrorSchema } from '../../rest-compat/openapi/bloomShapes.js';
import { integrationSpecs } from '../../rest-compat/integrations/routeSpecs.js';
import { BASE, client, type Res } from './client.js';

let t: TestGateway;
let rx: Receiver;
let doc: OpenApiDocument;
let checker: OpenApiChecker;
let ro: Record<string, string>;
const http = client(() => t);

/** One request, checked against the document; `status` is asserted too. */
async function call(method: string, path: string, status: number, body?: unknown, o: { auth?: Record<string, string> | null; headers?: Record<string, string> } = {}): Promise<Res> {
  const r = await http.call(method, path, body, o.auth === undefined ? undefined : o.auth, o.headers);
  expect(r.status, `${method} ${path} → ${r.text.slice(0, 300)}`).toBe(status);
  const problems = checker.problems(method, `${BASE}${path}`, { status: r.status, headers: r.headers, body: r.body });
  expect(problems, `${method} ${path} → ${r.status} ${r.text.slice(0, 300)}`).toEqual([]);
  return r;
}

beforeAll(async () => {
  t = await startTestGateway({ env: WEBHOOK_ENV });
  rx = await startReceiver();
  doc = buildOpenApiDocument({ title: 'integrations', version: 'test', basePath: BASE, routes: integrationSpecs, errorSchema: bloomErrorSchema });
  checker = new OpenApiChecker(doc);
  ro = bearer((await mintKey(t, { role: 'READ_ONLY' })).token);
});
afterAll(async () => {
  await t?.close();
  await rx?.close();
});

describe('the integrations OpenAPI document', () => {
  it('is what /api/v1/integrations/openapi.json serves (paths and operations)', async () => {
    const served = (await (await fetch(`${t.url}${BASE}/openapi.json`)).json()) as OpenApiDocument;
    expect(served.servers).toEqual([{ url: BASE }]);
    expect(served.paths).toEqual(doc.paths);
    expect(checker.operations.length).toBe(integrationSpecs.length);
  });

  it('projects', async () => {
    const p = (await call('POST', '/projects', 201, { external_id: 'OA-P', name: 'P', custom_fields: [{ field_name: 'a', field_value: '1' }] })).body;
    const key = { 'idempotency-key': newKey('oa') };
    await call('POST', '/projects', 201, { external_id: 'OA-P2', name: 'P2' }, { headers: key });
    const replay = await call('POST', '/projects', 201, { external_id: 'OA-P2', name: 'P2' }, { headers: key });
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    await call('POST', '/projects', 422, { external_id: 'OA-P3', name: 'P3' }, { headers: key });
    await call('POST', '/projects', 400, { external_id: 'OA-P3', name: 'P3' }, { headers: { 'idempotency-key': 'x'.repeat(300) } });
    await call('POST', '/projects', 409, { external_id: 'OA-P', name: 'again' });
    await call('POST', '/projects', 422, { name: 'no external id' });
    await call('POST', '/projects', 403, { external_id: 'OA-RO', name: 'x' }, { auth: ro });
    await call('POST', '/projects', 401, { external_id: 'OA-RO', name: 'x' }, { auth: null });
    await call('GET', '/projects', 200);
    await call('GET', '/projects?limit=1', 200);
    await call('GET', '/projects?limit=0', 422);
    await call('GET', '/projects?cursor=nope', 400);
    await call('GET', '/projects', 401, undefined, { auth: null });
    await call('GET', `/projects/${p.id}`, 200);
    await call('GET', '/projects/999999', 404);
    await call('GET', '/projects/abc', 422);
    await call('GET', '/projects/by-external/OA-P', 200);
    await call('GET', '/projects/by-external/NOPE', 404);
    await call('PATCH', `/projects/${p.id}`, 200, { description: 'd', custom_fields: [{ field_name: 'a', field_value: null }] });
    await call('PATCH', '/projects/999999', 404, { name: 'x' });
    await call('PATCH', `/projects/${p.id}`, 422, { name: '' });
    await call('PATCH', `/projects/${p.id}`, 403, { name: 'x' }, { auth: ro });
  });

  it('experiments', async () => {
    const p = (await call('GET', '/projects/by-external/OA-P', 200)).body;
    const e = (await call('POST', '/experiments', 201, { external_id: 'OA-E', name: 'E', project_id: p.id, variables_json: { x: 1 } })).body;
    await call('POST', '/experiments', 404, { external_id: 'OA-E2', name: 'E', project_id: 999999 });
    await call('POST', '/experiments', 400, { external_id: 'OA-E2', name: 'E', status: 'running' });
    await call('POST', '/experiments', 409, { external_id: 'OA-E', name: 'E' });
    await call('GET', `/experiments?project_id=${p.id}`, 200);
    await call('GET', '/experiments?project_id=x', 422);
    await call('GET', `/experiments/${e.id}`, 200);
    await call('GET', '/experiments/999999', 404);
    await call('GET', '/experiments/by-external/OA-E', 200);
    await call('GET', '/experiments/by-external/NOPE', 404);
    await call('PATCH', `/experiments/${e.id}`, 200, { expected_sample_count: 2 });
    await call('PATCH', `/experiments/${e.id}`, 400, { status: 'done' });
    await call('PATCH', '/experiments/999999', 404, {});
  });

  it('samples', async () => {
    const e = (await call('GET', '/experiments/by-external/OA-E', 200)).body;
    const s = (await call('POST', '/samples', 201, { external_id: 'OA-S', experiment_id: e.id, cell_count: 3, assay: 'bulk_rna' })).body;
    await call('POST', '/samples', 404, { external_id: 'OA-S2', experiment_id: 999999 });
    await call('POST', '/samples', 400, { external_id: 'OA-S2', experiment_id: e.id, qc_status: 'pass' });
    await call('POST', '/samples', 409, { external_id: 'OA-S', experiment_id: e.id });
    await call('POST', '/samples', 422, { external_id: 'OA-S2', experiment_id: e.id, assay: 'nope' });
    await call('GET', `/samples?experiment_id=${e.id}&q=oa`, 200);
    await call('GET', `/samples/${s.id}`, 200);
    await call('GET', '/samples/999999', 404);
    await call('GET', `/samples/by-external/OA-S?experiment_id=${e.id}`, 200);
    await call('GET', '/samples/by-external/OA-S', 422);
    await call('GET', `/samples/by-external/NOPE?experiment_id=${e.id}`, 404);
    await call('PATCH', `/samples/${s.id}`, 200, { organism: 'x', custom_fields: [{ field_name: 'k', field_value: 'v' }] });
    await call('PATCH', `/samples/${s.id}`, 400, { status: 'x' });
    await call('PATCH', '/samples/999999', 404, { organism: 'x' });
  });

  it('files', async () => {
    const s = (await call('GET', '/samples?external_id=OA-S', 200)).body.items[0];
    const f = ok(await t.gql(`mutation { createObject(input: { templateCode: "file/generic/generic/1.0", name: "f", properties: { filename: "f.fq", size_bytes: 3, tags: ["t"] } }) { id } }`)).createObject.id as string;
    await link(t, s.euid, f);
    const list = (await call('GET', `/files?sample_id=${s.id}`, 200)).body;
    expect(list.items[0].sample_ids).toEqual([s.id]);
    await call('GET', '/files?cursor=x', 400);
    await call('GET', '/files?limit=500', 422);
    await call('GET', `/files/${list.items[0].id}`, 200);
    await call('GET', '/files/999999', 404);
    await call('GET', '/files/x', 422);
  });

  it('webhooks', async () => {
    const made = (await call('POST', '/webhooks', 201, { name: 'oa', url: rx.url, events: ['sample.updated'] })).body;
    const id = made.subscription.id;
    await call('POST', '/webhooks', 422, { url: rx.url, events: ['nope'] });
    await call('POST', '/webhooks', 403, { url: rx.url, events: ['sample.updated'] }, { auth: ro });
    await call('GET', '/webhooks', 200);
    await call('GET', '/webhooks', 403, undefined, { auth: ro });
    await call('GET', `/webhooks/${id}`, 200);
    await call('GET', '/webhooks/999999', 404);
    await call('PATCH', `/webhooks/${id}`, 200, { name: 'oa2' });
    await call('PATCH', `/webhooks/${id}`, 422, { events: [] });
    await call('PATCH', '/webhooks/999999', 404, { name: 'x' });
    const delivery = (await call('POST', `/webhooks/${id}/test`, 201)).body;
    await call('POST', '/webhooks/999999/test', 404);
    await waitFor(async () => (await http.call('GET', `/webhooks/${id}/deliveries?status=delivered`)).body.items.length > 0, 'the test delivery');
    await call('GET', `/webhooks/${id}/deliveries`, 200);
    await call('GET', `/webhooks/${id}/deliveries?status=nope`, 422);
    await call('GET', '/webhooks/999999/deliveries', 404);
    await call('POST', `/webhooks/deliveries/${delivery.id}/replay`, 201);
    await call('POST', '/webhooks/deliveries/dlv_00000000000000000000000000000000/replay', 404);
    await call('POST', '/webhooks/deliveries/nope/replay', 422);
    await call('POST', `/webhooks/${id}/rotate-secret`, 200);
    await call('POST', '/webhooks/999999/rotate-secret', 404);
    await call('DELETE', `/webhooks/${id}`, 200);
    await call('DELETE', '/webhooks/999999', 404);
  });

  it('every documented operation was exercised, and no body carried a uuid or internal id', () => {
    expect(checker.uncovered()).toEqual([]);
    http.assertNoInternalIds();
  });
});
