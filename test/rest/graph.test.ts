// Bloom §1.10 /api/v1/graph (v1) over real HTTP: the undirected, depth-bounded
// neighbourhood in Cytoscape shape (one SQL statement), and the detail of any
// graph EUID (object, template, lineage edge); auth; no "uuid".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { requestStatements } from '../helpers/statements.js';
import { BLOOD, GDNA, PLATE_96, SAMPLE, create, link } from '../helpers/fixtures.js';

let t: TestGateway;
let readOnly: Record<string, string>;
let objectsOnly: Record<string, string>;
const bodies: string[] = [];

async function get(path: string, auth: Record<string, string> | null = adminAuth) {
  const res = await fetch(`${t.url}/api/v1${path}`, { headers: { ...(auth ?? {}) } });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: JSON.parse(text), headers: res.headers };
}

/**
 *   S ──▶ A ──▶ B ──▶ C          (S subject, A specimen, B/C/E samples, X plate)
 *         │     ▲     ▲
 *         └─▶ E ┼─────┘          A→E, E→C
 *               X ──▶ B, X ──▶ C
 *   A ──▶ Z (deleted) ──▶ Y      Y is only reachable through Z
 */
let g: Record<'S' | 'A' | 'B' | 'C' | 'E' | 'X' | 'Z' | 'Y', string>;
let e: Record<'SA' | 'AB' | 'BC' | 'AE' | 'EC' | 'XB' | 'XC' | 'AZ' | 'ZY', string>;

beforeAll(async () => {
  t = await startTestGateway();
  readOnly = bearer((await mintKey(t, { role: 'READ_ONLY' })).token);
  objectsOnly = bearer((await mintKey(t, { role: 'READ_ONLY', scopes: ['objects:read'] })).token);
  g = {
    S: await create(t, { templateCode: 'subject/patient/generic/1.0', name: 'donor' }),
    A: await create(t, {
      templateCode: BLOOD,
      properties: {
        graph: { expected_fanout: [{ relationship_types: ['contains'], max_child_count: 96 }] },
        external_payload: { tapdb_graph: [
          { system: 'atlas', root_euid: 'TRF-1', relationship_type: 'received_from_atlas_trf', tenant_id: 'T1' },
          { system: 'atlas', root_euid: 'TRF-1', relationship_type: 'received_from_atlas_trf', tenant_id: 'T1' }, // duplicate
          { system: 'atlas', relationship_type: 'incomplete' },
        ] },
      },
    }),
    B: await create(t, { templateCode: GDNA, name: 'B' }),
    C: await create(t, { templateCode: SAMPLE, name: 'C' }),
    E: await create(t, { templateCode: SAMPLE, name: 'E' }),
    X: await create(t, { templateCode: PLATE_96, name: 'X' }),
    Z: await create(t, { templateCode: SAMPLE, name: 'Z' }),
    Y: await create(t, { templateCode: SAMPLE, name: 'Y' }),
  };
  e = {
    SA: await link(t, g.S, g.A, 'collected_from'),
    AB: await link(t, g.A, g.B, 'extraction'),
    BC: await link(t, g.B, g.C),
    AE: await link(t, g.A, g.E),
    EC: await link(t, g.E, g.C),
    XB: await link(t, g.X, g.B, 'contains'),
    XC: await link(t, g.X, g.C, 'contains'),
    AZ: await link(t, g.A, g.Z),
    ZY: await link(t, g.Z, g.Y),
  };
  ok(await t.gql(`mutation($e: ID!) { deleteObject(euid: $e) { euid } }`, { e: g.Z }));
});
afterAll(async () => {
  await t?.close();
});

const sorted = (xs: string[]) => [...xs].sort();
const nodeIds = (body: any): string[] => body.elements.nodes.map((n: any) => n.data.id);
const edgeIds = (body: any): string[] => body.elements.edges.map((x: any) => x.data.id);

describe('GET /graph/data', () => {
  it('walks undirected to depth 1: neighbours of both directions, the edges crossed, sorted by EUID', async () => {
    const r = await get(`/graph/data?start_euid=${g.A}&depth=1`);
    expect(r.status).toBe(200);
    expect(nodeIds(r.body)).toEqual(sorted([g.A, g.S, g.B, g.E]));
    expect(edgeIds(r.body)).toEqual(sorted([e.SA, e.AB, e.AE]));
    expect(r.body.meta).toEqual({
      start_euid: g.A, depth: 1,
      expected_fanout: [{ euid: g.A, system: 'bloom', relationship_types: ['contains'], max_child_count: 96 }],
    });
  });

  it('reaches up-then-down at depth 2, but does not cross an edge between two nodes at the last hop', async () => {
    const r = await get(`/graph/data?start_euid=${g.A}&depth=2`);
    expect(nodeIds(r.body)).toEqual(sorted([g.A, g.S, g.B, g.E, g.C, g.X]));
    expect(edgeIds(r.body)).toEqual(sorted([e.SA, e.AB, e.AE, e.BC, e.EC, e.XB])); // X→C joins two depth-2 nodes
    const r3 = await get(`/graph/data?start_euid=${g.A}&depth=3`);
    expect(nodeIds(r3.body)).toEqual(nodeIds(r.body));
    expect(edgeIds(r3.body)).toEqual(sorted([e.SA, e.AB, e.AE, e.BC, e.EC, e.XB, e.XC]));
  });

  it('never returns or walks through a soft-deleted object', async () => {
    const r = await get(`/graph/data?start_euid=${g.A}&depth=10`);
    expect(nodeIds(r.body)).not.toContain(g.Z);
    expect(nodeIds(r.body)).not.toContain(g.Y);
    expect(edgeIds(r.body)).not.toContain(e.AZ);
    const y = await get(`/graph/data?start_euid=${g.Y}&depth=10`);
    expect(nodeIds(y.body)).toEqual([g.Y]);
    expect(y.body.elements.edges).toEqual([]);
  });

  it('shapes nodes and edges as Bloom (Cytoscape): colors per category, source = child, target = parent', async () => {
    const r = await get(`/graph/data?start_euid=${g.S}&depth=2`);
    const node = (euid: string) => r.body.elements.nodes.find((n: any) => n.data.id === euid).data;
    expect(node(g.S)).toEqual({
      id: g.S, euid: g.S, name: 'donor', type: 'patient', obj_type: 'patient', category: 'subject', subtype: 'generic', version: '1.0',
      created_dt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/), modified_dt: expect.stringMatching(/Z$/), color: '#9370DB',
    });
    expect(node(g.A)).toMatchObject({ name: g.A, category: 'content', color: '#00BFFF', graph: { expected_fanout: [{ max_child_count: 96 }] } });
    expect(node(g.A).external_refs).toEqual([{
      system: 'atlas', root_euid: 'TRF-1', target_euid: 'TRF-1', relationship_type: 'received_from_atlas_trf', tenant_id: 'T1',
      graph_expandable: true, label: 'atlas:received_from_atlas_trf:TRF-1', ref_index: 0,
    }]);
    expect(node(g.B)).not.toHaveProperty('graph');
    expect(node(g.B)).not.toHaveProperty('external_refs');
    const edge = r.body.elements.edges.find((x: any) => x.data.id === e.SA).data;
    expect(edge).toEqual({ id: e.SA, source: g.A, target: g.S, relationship_type: 'collected_from' });
    expect(r.body.elements.edges.find((x: any) => x.data.id === e.AB).data.relationship_type).toBe('extraction');
    const x = await get(`/graph/data?start_euid=${g.X}&depth=1`);
    expect(x.body.elements.nodes.find((n: any) => n.data.id === g.X).data.color).toBe('#8B00FF');
    expect(x.body.meta).toEqual({ start_euid: g.X, depth: 1 }); // no expected_fanout among these nodes
  });

  it('contains every node GraphQL lineage(BOTH) finds, and more (siblings through a shared parent)', async () => {
    const l = ok(await t.gql(`query($e: ID!) { lineage(euid: $e, direction: BOTH, depth: 2) { nodes { id } } }`, { e: g.B })).lineage;
    const r = await get(`/graph/data?start_euid=${g.B}&depth=2`);
    for (const n of l.nodes) expect(nodeIds(r.body)).toContain(n.id);
    expect(nodeIds(r.body)).toContain(g.E); // B ← A → E: a sibling, not an ancestor or descendant
    expect(nodeIds(r.body)).toContain(g.B);
  });

  it('answers 200 with empty lists for an unknown or deleted start, and for none (Bloom defaults to AY1)', async () => {
    expect((await get('/graph/data?start_euid=BCT-NOPE')).body).toEqual({ elements: { nodes: [], edges: [] }, meta: { start_euid: 'BCT-NOPE', depth: 4 } });
    expect((await get(`/graph/data?start_euid=${g.Z}&depth=3`)).body.elements).toEqual({ nodes: [], edges: [] });
    expect((await get('/graph/data')).body).toEqual({ elements: { nodes: [], edges: [] }, meta: { start_euid: 'AY1', depth: 4 } });
  });

  it('answers 422 for a depth outside 1..10', async () => {
    for (const d of ['0', '11', '-1', 'x', '2.5']) {
      const r = await get(`/graph/data?start_euid=${g.A}&depth=${d}`);
      expect(r.status, d).toBe(422);
      expect(r.body.detail[0].loc).toEqual(['query', 'depth']);
    }
    expect((await get(`/graph/data?start_euid=${g.A}&depth=10`)).status).toBe(200);
  });

  it('is answered by one SQL statement', async () => {
    const seen: string[] = [];
    const off = t.testDb.db.onQuery((sql) => seen.push(sql));
    try {
      expect((await get(`/graph/data?start_euid=${g.S}&depth=10`)).body.elements.nodes).toHaveLength(6);
    } finally {
      off();
    }
    const execution = requestStatements(seen);
    expect(execution.filter((s) => /WITH RECURSIVE/i.test(s))).toHaveLength(1);
    expect(execution).toHaveLength(1);
  });

  it('needs a credential (401), objects:read and lineage:read (403), and serves READ_ONLY', async () => {
    const none = await get(`/graph/data?start_euid=${g.A}`, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const scoped = await get(`/graph/data?start_euid=${g.A}`, objectsOnly);
    expect(scoped.status).toBe(403);
    expect(scoped.body.detail).toMatch(/lineage:read/);
    expect((await get(`/graph/data?start_euid=${g.A}`, readOnly)).status).toBe(200);
  });
});

describe('GET /graph/object/{euid}', () => {
  it('describes an instance, with its explicit external refs', async () => {
    const r = await get(`/graph/object/${g.A}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      euid: g.A, name: g.A, type: 'instance', obj_type: 'specimen', category: 'content', subtype: 'blood-whole', version: '1.0',
      bstatus: 'active', json_addl: { properties: expect.objectContaining({ graph: expect.any(Object) }) },
      created_dt: expect.stringMatching(/Z$/), modified_dt: expect.stringMatching(/Z$/),
      external_refs: [{
        label: 'atlas:received_from_atlas_trf:TRF-1', system: 'atlas', root_euid: 'TRF-1', tenant_id: 'T1', href: null,
        graph_expandable: false, ref_index: 0, relationship_type: 'received_from_atlas_trf',
        reason: 'Missing Atlas graph metadata: atlas.base_url, atlas.token',
      }],
    });
    expect((await get(`/graph/object/${g.B}`)).body.external_refs).toEqual([]);
  });

  it('describes a template (BGT-…) and a lineage edge (EDG-…: source = child, target = parent)', async () => {
    const tpl = ok(await t.gql(`{ template(ref: "${GDNA}") { euid } }`)).template.euid;
    const tr = await get(`/graph/object/${tpl}`);
    expect(tr.status).toBe(200);
    expect(tr.body).toMatchObject({
      euid: tpl, name: 'gDNA sample', type: 'template', obj_type: 'sample', category: 'content', subtype: 'gdna', version: '1.0',
      bstatus: 'active', json_addl: { instance_prefix: 'BCT' }, external_refs: [],
    });
    const er = await get(`/graph/object/${e.AB}`);
    expect(er.status).toBe(200);
    expect(er.body).toMatchObject({ euid: e.AB, type: 'lineage', relationship_type: 'extraction', source: g.B, target: g.A, json_addl: { properties: {} }, external_refs: [] });
  });

  it('answers 404 "Object not found: X" for unknown and deleted EUIDs of every kind; 401 without a credential', async () => {
    for (const x of ['BCT-NOPE', 'EDG-NOPE', 'BGT-NOPE', 'NONEXISTENT_EUID', g.Z]) {
      const r = await get(`/graph/object/${x}`);
      expect(r.status, x).toBe(404);
      expect(r.body).toEqual({ detail: `Object not found: ${x}` });
    }
    expect((await get(`/graph/object/${g.A}`, null)).status).toBe(401);
    expect((await get(`/graph/object/${g.A}`, readOnly)).status).toBe(200);
  });
});

describe('every response', () => {
  it('never contains "uuid" (nor btype / b_sub_type)', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const b of bodies) expect(b).not.toMatch(/uuid|"btype"|"b_sub_type"/i);
  });
});
