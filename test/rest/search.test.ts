// Bloom §1.9 /api/v1/search/v2 over real HTTP: free text over names, EUIDs,
// external ids and properties; record types (audit only with audit:read);
// filters, json_filters, include_deleted, created_dt; sorting, paging and
// max_scan; JSON and TSV exports; 401/403/422; no "uuid" anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { BLOOD, GDNA, SAMPLE, TUBE, create, link } from '../helpers/fixtures.js';

let t: TestGateway;
let readOnly: Record<string, string>;
const bodies: string[] = [];

interface Item {
  record_type: string; euid: string; name: string; category: string; type: string; subtype: string; status: string;
  created_dt: string; modified_dt: string; timestamp: string; metadata: Record<string, any>;
}

async function call(path: string, body: unknown, auth: Record<string, string> | null = adminAuth) {
  const res = await fetch(`${t.url}/api/v1${path}`, {
    method: 'POST', headers: { ...(auth ?? {}), 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  bodies.push(text);
  const json = (res.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: res.status, body: json && text ? JSON.parse(text) : text, headers: res.headers };
}

const search = async (body: Record<string, unknown>, auth: Record<string, string> | null = adminAuth) => {
  const r = await call('/search/v2/query', body, auth);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { items: Item[]; total: number; total_pages: number; page: number; page_size: number; truncated: boolean; facets: { record_type: Record<string, number>; category: Record<string, number> } } & Record<string, unknown>;
};
const euids = (items: Item[]) => items.map((i) => i.euid);

// Fixture: a blood specimen (external id, reference, properties) → gDNA (extraction), a tube with a barcode,
// and a token shared by names so each test can scope its query.
const TOKEN = 'zebrafinch';
let blood: string;
let dna: string;
let tube: string;
let sample: string;
let edge: string;

beforeAll(async () => {
  t = await startTestGateway();
  readOnly = bearer((await mintKey(t, { role: 'READ_ONLY' })).token);
  blood = await create(t, {
    templateCode: BLOOD, name: `${TOKEN} blood`, externalId: 'EXT-BLOOD-77',
    properties: { patient_id: 'PAT-9', collected: '2024-03-05T10:00:00Z', volume: 4, tags: ['fresh', 'cold'] },
    references: [{ type: 'order_number', value: 'ORD-5150' }],
  });
  dna = await create(t, { templateCode: GDNA, name: `${TOKEN} dna`, properties: { patient_id: 'PAT-9', collected: '2024-04-20', concentration: 'high' } });
  tube = await create(t, { templateCode: TUBE, name: `${TOKEN} tube`, barcode: 'BC-424242' });
  sample = await create(t, { templateCode: SAMPLE, name: `${TOKEN} sample`, status: 'in_progress', properties: { patient_id: 'PAT-10' } });
  edge = await link(t, blood, dna, 'extraction');
});
afterAll(async () => {
  await t?.close();
});

describe('POST /search/v2/query', () => {
  it('answers Bloom\'s shape; facets count record types and categories; metadata by record type', async () => {
    const r = await search({ query: TOKEN, record_types: ['instance'] });
    expect(Object.keys(r).sort()).toEqual(['facets', 'items', 'page', 'page_size', 'query', 'sort_by', 'sort_order', 'total', 'total_pages', 'truncated']);
    expect(r).toMatchObject({ query: TOKEN, page: 1, page_size: 50, total: 4, total_pages: 1, sort_by: 'timestamp', sort_order: 'desc', truncated: false });
    expect(r.facets).toEqual({ record_type: { instance: 4 }, category: { container: 1, content: 3 } });
    // newest first
    expect(euids(r.items)).toEqual([sample, tube, dna, blood]);
    const b = r.items.find((i) => i.euid === blood)!;
    expect(b).toEqual({
      record_type: 'instance', euid: blood, name: `${TOKEN} blood`, category: 'content', type: 'specimen', subtype: 'blood-whole', status: 'active',
      created_dt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/), modified_dt: expect.any(String), timestamp: b.created_dt,
      metadata: { json_addl: { properties: { patient_id: 'PAT-9', collected: '2024-03-05T10:00:00Z', volume: 4, tags: ['fresh', 'cold'] } } },
    });
  });

  it('matches names, EUIDs, external ids (external_id, barcode, references) and property values, case-insensitively', async () => {
    const only = async (query: string) => euids((await search({ query, record_types: 'instance' })).items);
    expect(await only('ext-blood-77')).toEqual([blood]);
    expect(await only('BC-4242')).toEqual([tube]);
    expect(await only('ord-5150')).toEqual([blood]);
    expect(await only('PAT-10')).toEqual([sample]);
    expect(await only(`  ${TOKEN.toUpperCase()} DNA  `)).toEqual([dna]);
    expect(await only(dna.toLowerCase())).toEqual([dna]);
    // LIKE wildcards are literal characters
    expect(await only('zebra%finch')).toEqual([]);
    expect(await only('zebr_finch')).toEqual([]);
  });

  it('an EUID also finds the lineage edges and audit entries that name it', async () => {
    const r = await search({ query: blood });
    expect(r.facets.record_type).toEqual({ instance: 1, template: 0, lineage: 1, audit: 2 });
    const of = (rt: string) => r.items.filter((i) => i.record_type === rt);
    expect(euids(of('instance'))).toEqual([blood]);
    expect(of('lineage')).toEqual([expect.objectContaining({
      euid: edge, name: '', category: 'lineage', type: 'specimen', subtype: 'sample', status: 'extraction',
      metadata: { parent_instance_euid: blood, child_instance_euid: dna, relationship_type: 'extraction', json_addl: { properties: {} } },
    })]);
    // the create of the blood and the link that names it
    expect(of('audit').map((a) => a.status).sort()).toEqual(['createObject', 'linkLineage']);
  });

  it('audit hits carry the audit log EUIDs and Bloom metadata', async () => {
    const log = ok(await t.gql(`query($e: String) { auditLog(filter: { entityEuid: $e }) { nodes { id operation } } }`, { e: blood })).auditLog.nodes;
    const r = await search({ query: 'EXT-BLOOD-77', record_types: 'audit' });
    expect(r.items).toHaveLength(1);
    const a = r.items[0];
    expect(a.euid).toBe(log.find((n: { operation: string }) => n.operation === 'createObject').id);
    expect(a).toMatchObject({ record_type: 'audit', name: 'content', category: 'content', type: 'content', status: 'createObject' });
    expect(a.metadata).toMatchObject({ rel_table_name: 'content', rel_table_euid_fk: blood, changed_by: expect.any(String), json_addl: { changes: expect.any(Object) } });
    expect(JSON.parse(a.metadata.new_value)).toMatchObject({ name: `${TOKEN} blood`, externalId: 'EXT-BLOOD-77' });
    expect(a.subtype.split(',')).toContain('externalId');
    // the ADT EUID itself is searchable
    expect(euids((await search({ query: a.euid, record_types: 'audit' })).items)).toEqual([a.euid]);
  });

  it('drops audit records for callers without audit:read, and unknown record types for everyone', async () => {
    const r = await search({ query: blood }, readOnly);
    expect(r.facets.record_type).toEqual({ instance: 1, template: 0, lineage: 1 });
    expect(r.items.map((i) => i.record_type).sort()).toEqual(['instance', 'lineage']);
    const auditOnly = await search({ query: blood, record_types: ['audit'] }, readOnly);
    expect(auditOnly).toMatchObject({ total: 0, total_pages: 1, items: [], facets: { record_type: {}, category: {} } });
    const mixed = await search({ query: blood, record_types: 'instance, bogus,LINEAGE' });
    expect(mixed.facets.record_type).toEqual({ instance: 1, lineage: 1 });
    // only unknown types = all types
    expect(Object.keys((await search({ query: blood, record_types: ['nope'] })).facets.record_type).sort()).toEqual(['audit', 'instance', 'lineage', 'template']);
  });

  it('finds templates with their Bloom json_addl, schema and instance prefix', async () => {
    const r = await search({ query: 'blood-whole', record_types: 'template' });
    expect(r.items).toHaveLength(1);
    const tpl = r.items[0];
    const detail = (await fetch(`${t.url}/api/v1/templates/${tpl.euid}?domain_code=Z`, { headers: adminAuth }).then((x) => x.json())) as { json_addl: unknown };
    expect(tpl).toMatchObject({ record_type: 'template', category: 'content', type: 'specimen', subtype: 'blood-whole', status: 'active' });
    expect(tpl.metadata).toEqual({ json_addl: detail.json_addl, json_addl_schema: expect.any(Object), instance_prefix: 'BCT' });
  });

  it('filters by categories, type_names, subtype_names and statuses (comma strings or lists, any case)', async () => {
    const q = (f: Record<string, unknown>) => search({ query: TOKEN, record_types: 'instance', ...f }).then((r) => euids(r.items).sort());
    expect(await q({ categories: 'CONTAINER' })).toEqual([tube]);
    expect(await q({ type_names: ['Specimen', 'sample'] })).toEqual([blood, dna, sample].sort());
    expect(await q({ subtype_names: 'gdna,blood-whole' })).toEqual([blood, dna].sort());
    expect(await q({ statuses: ['IN_PROGRESS'] })).toEqual([sample]);
    expect(await q({ categories: 'content', statuses: 'active' })).toEqual([blood, dna].sort());
    // lineage: statuses are relationship types
    expect(euids((await search({ record_types: 'lineage', statuses: 'EXTRACTION' })).items)).toEqual([edge]);
    expect((await search({ record_types: 'lineage', statuses: 'aliquot' })).items).toEqual([]);
  });

  it('json_filters: eq, in, ilike, exists, between, contains; search_mode any or all', async () => {
    const q = async (json_filters: unknown[], search_mode?: string) =>
      euids((await search({ query: TOKEN, record_types: 'instance', json_filters, ...(search_mode ? { search_mode } : {}) })).items).sort();
    expect(await q([{ path: 'properties.patient_id', op: 'eq', value: 'PAT-9' }])).toEqual([blood, dna].sort());
    expect(await q([{ path: 'properties.volume', value: 4 }])).toEqual([blood]);
    expect(await q([{ path: 'properties.tags', value: ['fresh', 'cold'] }])).toEqual([blood]);
    expect(await q([{ path: 'properties.tags', value: ['cold', 'fresh'] }])).toEqual([]);
    expect(await q([{ path: 'properties.patient_id', op: 'in', values: ['PAT-10', 'PAT-404'] }])).toEqual([sample]);
    expect(await q([{ path: 'properties.concentration', op: 'ilike', value: 'HIG' }])).toEqual([dna]);
    expect(await q([{ path: 'properties.tags', op: 'exists' }])).toEqual([blood]);
    expect(await q([{ path: 'properties.collected', op: 'between', start: '2024-03-01', end: '2024-03-05' }])).toEqual([blood]);
    expect(await q([{ path: 'properties.collected', op: 'between', start: '2024-04-01' }])).toEqual([dna]);
    expect(await q([{ path: 'properties', op: 'contains', value: { tags: ['cold'] } }])).toEqual([blood]);
    // eq null: the path is absent
    expect(await q([{ path: 'properties.patient_id', op: 'eq' }])).toEqual([tube]);
    const two = [{ path: 'properties.patient_id', value: 'PAT-9' }, { path: 'properties.concentration', op: 'exists' }];
    expect(await q(two)).toEqual([blood, dna].sort());
    expect(await q(two, 'all')).toEqual([dna]);
  });

  it('json_filters paths and values are data, never SQL', async () => {
    const hostile = `properties.x'); DROP TABLE material_object; --`;
    const r = await search({ record_types: 'instance', json_filters: [{ path: hostile, op: 'exists' }, { path: 'properties.patient_id', op: 'ilike', value: "%' OR 1=1 --" }] });
    expect(r.items).toEqual([]);
    expect((await search({ query: "' OR ''='", record_types: 'instance' })).items).toEqual([]);
    expect((await search({ query: TOKEN, record_types: 'instance' })).total).toBe(4);
  });

  it('include_deleted shows soft-deleted objects and their edges; they are hidden by default', async () => {
    const gone = await create(t, { templateCode: SAMPLE, name: 'ephemeral-okapi' });
    const child = await create(t, { templateCode: SAMPLE, name: 'ephemeral-okapi child' });
    const e = await link(t, gone, child);
    ok(await t.gql(`mutation($e: ID!) { deleteObject(euid: $e) { euid } }`, { e: gone }));
    const hidden = await search({ query: 'ephemeral-okapi', record_types: 'instance,lineage' });
    expect(euids(hidden.items)).toEqual([child]);
    const shown = await search({ query: 'ephemeral-okapi', record_types: 'instance,lineage', include_deleted: true });
    expect(euids(shown.items).sort()).toEqual([gone, child].sort());
    expect(euids((await search({ query: gone, record_types: 'lineage', include_deleted: true })).items)).toEqual([e]);
    expect((await search({ query: gone, record_types: 'lineage' })).items).toEqual([]);
  });

  it('created_dt_start/end bound the creation time; a reversed range is swapped', async () => {
    const all = (await search({ query: TOKEN, record_types: 'instance', sort_order: 'asc' })).items;
    const [from, to] = [all[1].created_dt, all[2].created_dt];
    const q = (body: Record<string, unknown>) => search({ query: TOKEN, record_types: 'instance', sort_order: 'asc', ...body }).then((r) => euids(r.items));
    expect(await q({ created_dt_start: from, created_dt_end: to })).toEqual([all[1].euid, all[2].euid]);
    expect(await q({ created_dt_start: to, created_dt_end: from })).toEqual([all[1].euid, all[2].euid]);
    expect(await q({ created_dt_start: '2999-01-01' })).toEqual([]);
  });

  it('sorts by name, euid, record_type and timestamp in either order', async () => {
    const names = (await search({ query: TOKEN, record_types: 'instance', sort_by: 'name', sort_order: 'asc' })).items.map((i) => i.name);
    expect(names).toEqual([`${TOKEN} blood`, `${TOKEN} dna`, `${TOKEN} sample`, `${TOKEN} tube`]);
    const byEuid = euids((await search({ query: TOKEN, record_types: 'instance', sort_by: 'euid', sort_order: 'desc' })).items);
    expect(byEuid).toEqual([...byEuid].sort().reverse());
    const types = (await search({ query: blood, sort_by: 'record_type', sort_order: 'asc' })).items.map((i) => i.record_type);
    expect(types).toEqual(['audit', 'audit', 'instance', 'lineage']);
    const oldest = euids((await search({ query: TOKEN, record_types: 'instance', sort_order: 'asc' })).items);
    expect(oldest).toEqual([blood, dna, tube, sample]);
  });

  it('pages: last page, a page beyond the end, total_pages ≥ 1', async () => {
    const base = { query: TOKEN, record_types: 'instance', sort_by: 'euid', sort_order: 'asc', page_size: 3 };
    const p1 = await search({ ...base, page: 1 });
    const p2 = await search({ ...base, page: 2 });
    expect(p1).toMatchObject({ total: 4, total_pages: 2, page: 1, page_size: 3 });
    expect(p1.items).toHaveLength(3);
    expect(p2.items).toHaveLength(1);
    expect(new Set([...euids(p1.items), ...euids(p2.items)]).size).toBe(4);
    const beyond = await search({ ...base, page: 9 });
    expect(beyond).toMatchObject({ total: 4, total_pages: 2, page: 9, items: [] });
    expect(await search({ query: 'nothing-matches-this' })).toMatchObject({ total: 0, total_pages: 1, items: [] });
  });

  it('max_scan caps the rows scanned per record type and reports truncated', async () => {
    const made: string[] = [];
    for (let i = 0; i < 105; i += 15) {
      made.push(...(await Promise.all(Array.from({ length: Math.min(15, 105 - i) }, (_, k) => create(t, { templateCode: SAMPLE, name: `bulkheron ${i + k}` })))));
    }
    const r = await search({ query: 'bulkheron', record_types: 'instance', max_scan: 100, page_size: 500 });
    expect(r).toMatchObject({ total: 100, truncated: true, total_pages: 1, facets: { record_type: { instance: 105 }, category: { content: 100 } } });
    expect(r.items).toHaveLength(100);
    const all = await search({ query: 'bulkheron', record_types: 'instance', max_scan: 200, page_size: 50, page: 3 });
    expect(all).toMatchObject({ total: 105, truncated: false, total_pages: 3 });
    expect(all.items).toHaveLength(5);
    expect(made).toHaveLength(105);
  });

  it('sorts audit entries by their EUID (computed in SQL) exactly as the EUIDs order', async () => {
    for (const sort_order of ['asc', 'desc']) {
      const r = await search({ record_types: 'audit', sort_by: 'euid', sort_order, page_size: 500 });
      expect(r.items.length).toBeGreaterThan(100);
      const got = euids(r.items);
      const sorted = [...got].sort();
      expect(got).toEqual(sort_order === 'asc' ? sorted : sorted.reverse());
      // one page after another gives the same order
      const p2 = await search({ record_types: 'audit', sort_by: 'euid', sort_order, page_size: 40, page: 2 });
      expect(euids(p2.items)).toEqual(got.slice(40, 80));
    }
    // many audit entries share a name: pages still neither overlap nor skip
    const whole = euids((await search({ record_types: 'audit', sort_by: 'name', page_size: 80 })).items);
    const halves = [1, 2].map((page) => search({ record_types: 'audit', sort_by: 'name', page_size: 40, page }));
    expect((await Promise.all(halves)).flatMap((h) => euids(h.items))).toEqual(whole);
  });

  it('serves the path with a trailing slash', async () => {
    const r = await call('/search/v2/query/', { query: TOKEN, record_types: 'instance' });
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(4);
  });

  it('answers 422 in FastAPI\'s shape for enum and range violations', async () => {
    const bad = async (body: unknown, loc: (string | number)[]) => {
      const r = await call('/search/v2/query', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ loc, msg: expect.any(String), type: expect.any(String) })]));
    };
    await bad({ page_size: 501 }, ['body', 'page_size']);
    await bad({ page_size: 0 }, ['body', 'page_size']);
    await bad({ page: 0 }, ['body', 'page']);
    await bad({ max_scan: 99 }, ['body', 'max_scan']);
    await bad({ max_scan: 20001 }, ['body', 'max_scan']);
    await bad({ sort_by: 'size' }, ['body', 'sort_by']);
    await bad({ sort_order: 'up' }, ['body', 'sort_order']);
    await bad({ search_mode: 'some' }, ['body', 'search_mode']);
    await bad({ json_filters: [{ path: 'properties.x', op: 'regex' }] }, ['body', 'json_filters', 0, 'op']);
    await bad({ json_filters: [{ path: ' . ' }] }, ['body', 'json_filters', 0, 'path']);
    await bad({ json_filters: [{ op: 'eq' }] }, ['body', 'json_filters', 0, 'path']);
    await bad({ json_filters: Array.from({ length: 51 }, () => ({ path: 'properties.a', op: 'exists' })) }, ['body', 'json_filters']);
    await bad({ created_dt_start: 'yesterday' }, ['body', 'created_dt_start']);
    await bad({ include_deleted: 'maybe' }, ['body', 'include_deleted']);
    // what PostgreSQL could not take is refused up front, never a 500
    await bad({ query: 'a\u0000b' }, ['body', 'query']);
    await bad({ categories: ['ok', 'x\u0000'] }, ['body', 'categories', 1]);
    await bad({ json_filters: [{ path: 'properties', op: 'contains', value: { a: ['\u0000'] } }] }, ['body', 'json_filters', 0, 'value']);
    await bad({ json_filters: [{ path: 'properties.a', op: 'in', values: ['ok', '\u0000'] }] }, ['body', 'json_filters', 0, 'values', 1]);
    await bad({ created_dt_start: '0000-01-01' }, ['body', 'created_dt_start']);
    await bad({ created_dt_end: '+275760-09-13T00:00:00Z' }, ['body', 'created_dt_end']);
    await bad({ created_dt_end: 8.64e12 }, ['body', 'created_dt_end']);
    await bad({ created_dt_start: '2024-02-30' }, ['body', 'created_dt_start']);
    await bad({ json_filters: [{ path: 'properties.a', op: 'between', end: '10000-01-01' }] }, ['body', 'json_filters', 0, 'end']);
    expect((await search({ query: '\\%_' })).items).toEqual([]);
    // a long query is capped, not refused
    const long = await search({ query: `${'x'.repeat(300)}` });
    expect(long.query).toHaveLength(256);
  });

  it('answers 401 without a credential and 403 without objects:read', async () => {
    const anon = await call('/search/v2/query', {}, null);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Bearer');
    expect(anon.body).toMatchObject({ detail: expect.any(String) });
    const noRead = bearer((await mintKey(t, { role: 'READ_ONLY', scopes: ['tokens:self'] })).token);
    const denied = await call('/search/v2/query', {}, noRead);
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ detail: expect.stringContaining('objects:read') });
  });
});

describe('POST /search/v2/export', () => {
  const filename = (h: Headers) => /^attachment; filename="([^"]+)"$/.exec(h.get('content-disposition') ?? '')?.[1];

  it('exports JSON as an attachment: every hit, page 1, page_size = rows', async () => {
    const r = await call('/search/v2/export', { search: { query: `${TOKEN} `, record_types: 'instance', page: 3, page_size: 1 } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(filename(r.headers)).toMatch(new RegExp(`^bloom_search_v2_${TOKEN}_\\d{8}_\\d{6}\\.json$`));
    expect(r.body).toMatchObject({ query: TOKEN, total: 4, page: 1, page_size: 4, total_pages: 1, sort_by: 'timestamp', sort_order: 'desc', truncated: false });
    expect(euids(r.body.items)).toEqual([sample, tube, dna, blood]);
    const q = await search({ query: TOKEN, record_types: 'instance' });
    expect(r.body.items).toEqual(q.items);
    expect(r.body.facets).toEqual(q.facets);
  });

  it('include_metadata=false drops metadata; max_export_rows cuts the export and says so', async () => {
    const r = await call('/search/v2/export/', { search: { query: 'bulkheron', record_types: ['instance'] }, include_metadata: false, max_export_rows: 100 });
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(100);
    expect(r.body).toMatchObject({ total: 100, page_size: 100, truncated: true, facets: { record_type: { instance: 105 } } });
    expect(r.body.items.every((i: Record<string, unknown>) => !('metadata' in i))).toBe(true);
  });

  it('exports TSV with Bloom\'s header row and JSON metadata', async () => {
    const r = await call('/search/v2/export', { search: { query: blood, record_types: 'instance,lineage' }, format: 'tsv' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/tab-separated-values/);
    expect(filename(r.headers)).toMatch(new RegExp(`^bloom_search_v2_${blood}_\\d{8}_\\d{6}\\.tsv$`));
    const lines = (r.body as string).split('\r\n');
    expect(lines[0]).toBe('record_type\teuid\tname\tcategory\ttype\tsubtype\tstatus\tcreated_dt\tmodified_dt\ttimestamp\tmetadata_json');
    expect(lines.at(-1)).toBe('');
    // (the blood's EUID is also a substring of later EUIDs: keep its own rows)
    const rows = lines.slice(1, -1).map((l) => l.split('\t')).filter((c) => c[1] === edge || c[1] === blood);
    expect(rows.map((c) => [c[0], c[1]])).toEqual([['lineage', edge], ['instance', blood]]);
    const unquote = (s: string) => JSON.parse(s.slice(1, -1).replace(/""/g, '"'));
    expect(unquote(rows[0][10])).toEqual({ parent_instance_euid: blood, child_instance_euid: dna, relationship_type: 'extraction', json_addl: { properties: {} } });
    expect(unquote(rows[1][10]).json_addl.properties.patient_id).toBe('PAT-9');
    expect(rows[1].slice(2, 7)).toEqual([`${TOKEN} blood`, 'content', 'specimen', 'blood-whole', 'active']);

    const bare = await call('/search/v2/export', { search: { query: blood, record_types: 'instance' }, format: 'tsv', include_metadata: false });
    expect((bare.body as string).split('\r\n')[1].split('\t')[10]).toBe('{}');
  });

  it('names the file safely whatever the query holds', async () => {
    const r = await call('/search/v2/export', { search: { query: 'a "b" ünï/c d' } });
    expect(r.status).toBe(200);
    expect(filename(r.headers)).toMatch(/^bloom_search_v2_a__b___n__c_d_\d{8}_\d{6}\.json$/);
    const empty = await call('/search/v2/export', { search: {} , format: 'tsv' });
    expect(filename(empty.headers)).toMatch(/^bloom_search_v2_search_\d{8}_\d{6}\.tsv$/);
  });

  it('answers 422 for a missing search, a bad format or max_export_rows out of range; 401 without a credential', async () => {
    const missing = await call('/search/v2/export', { format: 'json' });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([{ loc: ['body', 'search'], msg: 'Field required', type: 'missing' }]);
    for (const [body, loc] of [
      [{ search: {}, format: 'xml' }, ['body', 'format']],
      [{ search: {}, max_export_rows: 99 }, ['body', 'max_export_rows']],
      [{ search: {}, max_export_rows: 50001 }, ['body', 'max_export_rows']],
      [{ search: { page_size: 900 } }, ['body', 'search', 'page_size']],
    ] as const) {
      const r = await call('/search/v2/export', body);
      expect(r.status).toBe(422);
      expect(r.body.detail[0].loc).toEqual(loc);
    }
    expect((await call('/search/v2/export', { search: {} }, null)).status).toBe(401);
  });
});

describe('identifiers', () => {
  it('no response carried "uuid" or an internal id', () => {
    expect(bodies.length).toBeGreaterThan(40);
    for (const b of bodies) {
      expect(b.toLowerCase()).not.toContain('uuid');
      expect(b).not.toMatch(/"(id|uid|template_id|object_id|parent_id|child_id)"\s*:/);
    }
  });
});
