// GraphQL `search` over real HTTP: hits with their typed record (objects,
// templates, lineage edges, audit entries), facets and page info; the same
// service as REST /search/v2 (same hits for the same request); audit only with
// audit:read; stable error codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { BLOOD, GDNA, TUBE, create, link } from '../helpers/fixtures.js';

let t: TestGateway;
let readOnly: Record<string, string>;
let blood: string;
let dna: string;
let tube: string;
let edge: string;
const raw: string[] = [];

const SEARCH = `query($input: SearchInput!) {
  search(input: $input) {
    query total truncated sortBy sortOrder
    pageInfo { page pageSize totalPages hasNextPage hasPreviousPage }
    facets { recordType { value count } category { value count } }
    hits {
      recordType id euid name category type subtype status createdAt modifiedAt timestamp
      record {
        __typename
        ... on Content { id externalId properties deleted }
        ... on Container { id barcode }
        ... on Template { id code instancePrefix }
        ... on LineageEdge { id parentEuid childEuid relationshipType }
        ... on AuditEntry { id operation entityEuid actorId }
      }
    }
  }
}`;

async function gql(input: Record<string, unknown>, headers: Record<string, string> = {}) {
  const all: Record<string, string> = { 'content-type': 'application/json', ...adminAuth, ...headers };
  if (all.authorization === '') delete all.authorization;
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: all,
    body: JSON.stringify({ query: SEARCH, variables: { input } }),
  });
  const text = await res.text();
  raw.push(text);
  return { status: res.status, ...(JSON.parse(text) as { data?: { search: any } | null; errors?: { message: string; extensions?: Record<string, any> }[] }) };
}
const search = async (input: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const r = await gql(input, headers);
  if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
  return r.data!.search;
};
const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

beforeAll(async () => {
  t = await startTestGateway();
  readOnly = bearer((await mintKey(t, { role: 'READ_ONLY' })).token);
  blood = await create(t, { templateCode: BLOOD, name: 'quokka blood', externalId: 'QK-1', properties: { site: 'north' } });
  dna = await create(t, { templateCode: GDNA, name: 'quokka dna', properties: { site: 'south' } });
  tube = await create(t, { templateCode: TUBE, name: 'quokka tube', barcode: 'QK-BAR-2' });
  edge = await link(t, blood, dna, 'extraction');
});
afterAll(async () => {
  await t?.close();
});

describe('Query.search', () => {
  it('returns hits with their typed records, facets and page info', async () => {
    const s = await search({ query: 'quokka', recordTypes: ['INSTANCE'], sortBy: 'NAME', sortOrder: 'ASC' });
    expect(s).toMatchObject({ query: 'quokka', total: 3, truncated: false, sortBy: 'NAME', sortOrder: 'ASC' });
    expect(s.pageInfo).toEqual({ page: 1, pageSize: 50, totalPages: 1, hasNextPage: false, hasPreviousPage: false });
    expect(s.facets).toEqual({ recordType: [{ value: 'instance', count: 3 }], category: [{ value: 'container', count: 1 }, { value: 'content', count: 2 }] });
    expect(ids(s.hits)).toEqual([blood, dna, tube]);
    expect(s.hits[0]).toMatchObject({
      recordType: 'INSTANCE', euid: blood, name: 'quokka blood', category: 'content', type: 'specimen', subtype: 'blood-whole', status: 'active',
      record: { __typename: 'Content', id: blood, externalId: 'QK-1', properties: { site: 'north' }, deleted: false },
    });
    expect(s.hits[2].record).toEqual({ __typename: 'Container', id: tube, barcode: 'QK-BAR-2' });
  });

  it('finds by external id, barcode, EUID and property value', async () => {
    const only = async (query: string) => ids((await search({ query, recordTypes: ['INSTANCE'] })).hits);
    expect(await only('qk-1')).toEqual([blood]);
    expect(await only('QK-BAR')).toEqual([tube]);
    expect(await only(dna)).toEqual([dna]);
    expect(await only('south')).toEqual([dna]);
  });

  it('lineage and audit hits carry their edge and audit entry', async () => {
    const s = await search({ query: blood, recordTypes: ['LINEAGE', 'AUDIT'] });
    const edgeHit = s.hits.find((h: { recordType: string }) => h.recordType === 'LINEAGE');
    expect(edgeHit).toMatchObject({ id: edge, type: 'specimen', subtype: 'sample', status: 'extraction',
      record: { __typename: 'LineageEdge', id: edge, parentEuid: blood, childEuid: dna, relationshipType: 'extraction' } });
    const audits = s.hits.filter((h: { recordType: string }) => h.recordType === 'AUDIT');
    const log = ok(await t.gql(`query($e: String) { auditLog(filter: { entityEuid: $e }) { nodes { id } } }`, { e: blood })).auditLog.nodes;
    expect(audits.map((a: { record: { id: string } }) => a.record.id)).toEqual(expect.arrayContaining(log.map((n: { id: string }) => n.id)));
    expect(audits.every((a: { id: string; record: { __typename: string; id: string } }) => a.record.__typename === 'AuditEntry' && a.id === a.record.id && /^ADT-/.test(a.id))).toBe(true);
  });

  it('templates come back as Template records', async () => {
    const s = await search({ query: 'blood-whole', recordTypes: ['TEMPLATE'] });
    expect(s.hits).toHaveLength(1);
    expect(s.hits[0].record).toMatchObject({ __typename: 'Template', code: 'content/specimen/blood-whole/1.0', instancePrefix: 'BCT' });
  });

  it('leaves audit entries out for callers without audit:read', async () => {
    const s = await search({ query: blood }, readOnly);
    expect(s.facets.recordType.map((f: { value: string }) => f.value).sort()).toEqual(['instance', 'lineage', 'template']);
    expect(s.hits.some((h: { recordType: string }) => h.recordType === 'AUDIT')).toBe(false);
    expect((await search({ query: blood, recordTypes: ['AUDIT'] }, readOnly))).toMatchObject({ total: 0, hits: [], facets: { recordType: [] } });
  });

  it('applies jsonFilters, includeDeleted, filters and paging like REST', async () => {
    expect(ids((await search({ query: 'quokka', jsonFilters: [{ path: 'properties.site', op: 'IN', values: ['north', 'east'] }] })).hits)).toEqual([blood]);
    expect(ids((await search({ query: 'quokka', recordTypes: ['INSTANCE'], categories: ['CONTAINER'] })).hits)).toEqual([tube]);
    const page2 = await search({ query: 'quokka', recordTypes: ['INSTANCE'], pageSize: 2, page: 2, sortBy: 'EUID', sortOrder: 'ASC' });
    expect(page2.pageInfo).toEqual({ page: 2, pageSize: 2, totalPages: 2, hasNextPage: false, hasPreviousPage: true });
    expect(page2.hits).toHaveLength(1);
    const beyond = await search({ query: 'quokka', recordTypes: ['INSTANCE'], pageSize: 2, page: 5 });
    expect(beyond).toMatchObject({ total: 3, hits: [], pageInfo: { totalPages: 2, hasNextPage: false } });

    const gone = await create(t, { templateCode: GDNA, name: 'quokka gone' });
    ok(await t.gql(`mutation($e: ID!) { deleteObject(euid: $e) { euid } }`, { e: gone }));
    expect(ids((await search({ query: 'quokka gone', recordTypes: ['INSTANCE'] })).hits)).toEqual([]);
    const shown = await search({ query: 'quokka gone', recordTypes: ['INSTANCE'], includeDeleted: true });
    expect(shown.hits.map((h: { record: { deleted: boolean } }) => [h.record.deleted])).toEqual([[true]]);
  });

  it('gives the same hits as REST /search/v2/query for the same request', async () => {
    const s = await search({ query: 'quokka', sortBy: 'EUID', sortOrder: 'DESC', pageSize: 10 });
    const rest = await fetch(`${t.url}/api/v1/search/v2/query`, {
      method: 'POST', headers: { ...adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'quokka', sort_by: 'euid', sort_order: 'desc', page_size: 10 }),
    }).then((r) => r.json() as Promise<{ total: number; items: { euid: string; record_type: string }[]; facets: { record_type: Record<string, number> } }>);
    expect(s.total).toBe(rest.total);
    expect(ids(s.hits)).toEqual(rest.items.map((i) => i.euid));
    expect(Object.fromEntries(s.facets.recordType.map((f: { value: string; count: number }) => [f.value, f.count]))).toEqual(rest.facets.record_type);
  });

  it('refuses bad input with BAD_USER_INPUT, a missing permission with FORBIDDEN, no credential with UNAUTHENTICATED', async () => {
    for (const [input, field] of [
      [{ pageSize: 0 }, 'pageSize'], [{ pageSize: 501 }, 'pageSize'], [{ page: 0 }, 'page'], [{ maxScan: 50 }, 'maxScan'],
      [{ jsonFilters: [{ path: ' ' }] }, 'jsonFilters'], [{ query: 'nul\u0000' }, 'query'],
    ] as const) {
      const r = await gql(input);
      expect(r.errors?.[0].extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0].extensions?.issues?.[0].path[0]).toBe(field);
      expect(r.data).toBeNull();
    }
    const enumErr = await gql({ recordTypes: ['PLANET'] });
    expect(enumErr.errors?.[0].extensions?.code).toMatch(/^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/);

    const noRead = bearer((await mintKey(t, { role: 'READ_ONLY', scopes: ['tokens:self'] })).token);
    const denied = await gql({}, noRead);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anon = await gql({}, { authorization: '' });
    expect(anon.status).toBe(401);
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('never answers with "uuid"', () => {
    expect(raw.length).toBeGreaterThan(15);
    for (const body of raw) expect(body.toLowerCase()).not.toContain('uuid');
  });
});
