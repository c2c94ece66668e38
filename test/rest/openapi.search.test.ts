// The search v2 OpenAPI specs against real responses: every operation exercised
// over HTTP (success in every record type and format, 401, 403, 422), each
// response checked against the generated document, nothing left uncovered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { buildOpenApiDocument, type OpenApiDocument } from '../../rest-compat/openapi/document.js';
import { searchSpecs } from '../../rest-compat/bloom/search.openapi.js';
import { OpenApiChecker } from '../helpers/openapi.js';
import { adminAuth, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { BLOOD, GDNA, create, link } from '../helpers/fixtures.js';

const detailList = z.object({ detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })) });
// Failures raised before a route runs (authentication) also carry the human `message` next to the stable `detail`.
const errorSchema = (s: number) =>
  s === 422 ? detailList : s === 401 ? z.object({ detail: z.string(), message: z.string() }) : z.object({ detail: z.string() });

let t: TestGateway;
let doc: OpenApiDocument;
let checker: OpenApiChecker;
let noRead: Record<string, string>;

async function check(path: string, body: unknown, auth: Record<string, string> | null = adminAuth) {
  const url = `${t.url}/api/v1${path}`;
  const res = await fetch(url, { method: 'POST', headers: { ...(auth ?? {}), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  const parsed: unknown = (res.headers.get('content-type') ?? '').startsWith('application/json') ? JSON.parse(text) : text;
  expect(checker.problems('POST', url, { status: res.status, headers: res.headers, body: parsed }), text.slice(0, 500)).toEqual([]);
  return { status: res.status, body: parsed, text };
}

beforeAll(async () => {
  doc = buildOpenApiDocument({ title: 'labgraph Bloom search', version: 'test', basePath: '/api/v1', routes: searchSpecs, errorSchema });
  checker = new OpenApiChecker(doc);
  t = await startTestGateway();
  noRead = bearer((await mintKey(t, { role: 'READ_ONLY', scopes: ['tokens:self'] })).token);
  const a = await create(t, { templateCode: BLOOD, name: 'openapi wombat', externalId: 'OA-1', properties: { n: 1, note: 'ünïcode "quoted"\ttabbed' } });
  const b = await create(t, { templateCode: GDNA, name: 'openapi wombat child' });
  await link(t, a, b, 'extraction');
  const gone = await create(t, { templateCode: GDNA, name: 'openapi wombat gone' });
  const del = await t.gql(`mutation($e: ID!) { deleteObject(euid: $e) { euid } }`, { e: gone });
  expect(del.errors).toBeUndefined();
});
afterAll(async () => {
  await t?.close();
});

describe('search v2 OpenAPI', () => {
  it('documents both operations under the search tag with 401/403/422', () => {
    expect(checker.operations.sort()).toEqual(['POST /search/v2/export', 'POST /search/v2/query']);
    for (const path of ['/search/v2/query', '/search/v2/export']) {
      const op = doc.paths[path].post as { tags: string[]; responses: Record<string, unknown>; requestBody: unknown };
      expect(op.tags).toEqual(['search']);
      expect(Object.keys(op.responses).sort()).toEqual(['200', '401', '403', '422']);
      expect(op.requestBody).toBeDefined();
    }
    const exportMedia = (doc.paths['/search/v2/export'].post as { responses: { 200: { content: Record<string, unknown> } } }).responses[200].content;
    expect(Object.keys(exportMedia).sort()).toEqual(['application/json', 'text/tab-separated-values']);
  });

  it('the request schemas accept what the routes accept', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const body = (path: string) =>
      ((doc.paths[path].post as { requestBody: { content: { 'application/json': { schema: object } } } }).requestBody.content['application/json'].schema);
    const search = {
      query: 'x', record_types: 'instance,audit', categories: ['content'], type_names: 'sample', subtype_names: [], statuses: null,
      include_deleted: true, json_filters: [{ path: 'properties.n', op: 'between', start: '2024-01-01', end: 1700000000, values: [1, 'a'] }],
      search_mode: 'all', created_dt_start: '2024-01-01T00:00:00Z', sort_by: 'name', sort_order: 'asc', page: 2, page_size: 10, max_scan: 100,
    };
    expect(ajv.validate(body('/search/v2/query'), search), JSON.stringify(ajv.errors)).toBe(true);
    expect(ajv.validate(body('/search/v2/export'), { search, format: 'tsv', include_metadata: false, max_export_rows: 100 }), JSON.stringify(ajv.errors)).toBe(true);
    expect(ajv.validate(body('/search/v2/query'), { sort_by: 'size' })).toBe(false);
  });

  it('query: every record type, deleted rows, an empty page, the trailing slash', async () => {
    // lineage edges match on their parent/child EUIDs and relationship type
    const all = await check('/search/v2/query', { query: 'wombat' });
    const edges = await check('/search/v2/query', { query: 'extraction', record_types: 'lineage' });
    expect((edges.body as { items: unknown[] }).items).toHaveLength(1);
    expect(all.status).toBe(200);
    const types = new Set((all.body as { items: { record_type: string }[] }).items.map((i) => i.record_type));
    expect([...types].sort()).toEqual(['audit', 'instance']);
    const tpl = await check('/search/v2/query', { query: 'blood-whole', record_types: 'template' });
    expect((tpl.body as { items: unknown[] }).items).toHaveLength(1);
    expect((await check('/search/v2/query/', { query: 'wombat gone', include_deleted: true, record_types: 'instance' })).status).toBe(200);
    expect((await check('/search/v2/query', { query: 'wombat', page: 99 })).body).toMatchObject({ items: [], total_pages: 1 });
    expect(all.text).not.toContain('uuid');
  });

  it('query: 401, 403, 422', async () => {
    expect((await check('/search/v2/query', {}, null)).status).toBe(401);
    expect((await check('/search/v2/query', {}, noRead)).status).toBe(403);
    expect((await check('/search/v2/query', { page_size: 0, sort_by: 'size' })).status).toBe(422);
  });

  it('export: JSON with and without metadata, TSV; 401, 403, 422', async () => {
    const json = await check('/search/v2/export', { search: { query: 'wombat' } });
    expect(json.status).toBe(200);
    expect(json.text).not.toContain('uuid');
    expect((await check('/search/v2/export/', { search: { query: 'wombat' }, include_metadata: false })).status).toBe(200);
    const tsv = await check('/search/v2/export', { search: { query: 'wombat' }, format: 'tsv' });
    expect(tsv.status).toBe(200);
    expect(tsv.text.split('\r\n')[0].split('\t')).toHaveLength(11);
    expect(tsv.text).not.toContain('uuid');
    expect((await check('/search/v2/export', { search: {} }, null)).status).toBe(401);
    expect((await check('/search/v2/export', { search: {} }, noRead)).status).toBe(403);
    expect((await check('/search/v2/export', { format: 'csv' })).status).toBe(422);
  });

  it('the published /api/v1/openapi.json holds the same search operations, and real responses match it', async () => {
    const published = (await fetch(`${t.url}/api/v1/openapi.json`).then((r) => r.json())) as OpenApiDocument;
    for (const path of ['/search/v2/query', '/search/v2/export']) {
      const [mine, theirs] = [doc, published].map((d) => d.paths[path].post as { requestBody: unknown; responses: Record<string, unknown> });
      expect(theirs.requestBody).toEqual(mine.requestBody);
      expect(theirs.responses[200]).toEqual(mine.responses[200]);
      expect(Object.keys(theirs.responses).sort()).toEqual(['200', '401', '403', '422']);
    }
    const served = new OpenApiChecker(published);
    for (const [path, body] of [['/search/v2/query', { query: 'wombat' }], ['/search/v2/export', { search: { query: 'wombat' }, format: 'tsv' }], ['/search/v2/query', { page: 0 }]] as const) {
      const url = `${t.url}/api/v1${path}`;
      const res = await fetch(url, { method: 'POST', headers: { ...adminAuth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      const parsed: unknown = (res.headers.get('content-type') ?? '').startsWith('application/json') ? JSON.parse(text) : text;
      expect(served.problems('POST', url, { status: res.status, headers: res.headers, body: parsed })).toEqual([]);
    }
  });

  it('left no documented operation unexercised', () => {
    expect(checker.uncovered()).toEqual([]);
  });
});
