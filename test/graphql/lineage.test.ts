import { requestStatements } from '../helpers/statements.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { BLOOD, GDNA, create, link } from '../helpers/fixtures.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t?.close();
});

const LINEAGE = `query($euid: ID!, $direction: LineageDirection, $depth: Int, $types: [String!]) {
  lineage(euid: $euid, direction: $direction, depth: $depth, relationshipTypes: $types) {
    root { id } nodes { id } edges { id parentEuid childEuid relationshipType } distances { euid distance }
  }
}`;

async function lineage(euid: string, direction: string, depth = 3, types?: string[]) {
  return ok(await t.gql(LINEAGE, { euid, direction, depth, types })).lineage;
}
const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

describe('linkLineage / unlinkLineage', () => {
  it('links parent → child with a relationship type and shows it on both objects', async () => {
    const blood = await create(t, { templateCode: BLOOD });
    const dna = await create(t, { templateCode: GDNA });
    const edge = ok(await t.gql(`mutation { linkLineage(input: { parentEuid: "${blood}", childEuid: "${dna}", relationshipType: "extracted_from" }) {
      id euid parentEuid childEuid relationshipType parent { id } child { id } } }`)).linkLineage;
    expect(edge.id).toMatch(/^EDG-/);
    expect(edge).toMatchObject({ parentEuid: blood, childEuid: dna, relationshipType: 'extracted_from', parent: { id: blood }, child: { id: dna } });
    const r = ok(await t.gql(`{ a: object(euid: "${blood}") { children { id } childEdges { id } } b: object(euid: "${dna}") { parents { id } parentEdges { relationshipType } } n: node(id: "${edge.id}") { id } }`));
    expect(r.a.children).toEqual([{ id: dna }]);
    expect(r.a.childEdges).toEqual([{ id: edge.id }]);
    expect(r.b.parents).toEqual([{ id: blood }]);
    expect(r.b.parentEdges).toEqual([{ relationshipType: 'extracted_from' }]);
    expect(r.n).toEqual({ id: edge.id });
  });

  it('refuses self-links, cycles, duplicates, bad types and unknown objects', async () => {
    const a = await create(t, { templateCode: GDNA });
    const b = await create(t, { templateCode: GDNA });
    const c = await create(t, { templateCode: GDNA });
    await link(t, a, b);
    await link(t, b, c);
    const q = (p: string, ch: string, type = 'generic') =>
      t.gql(`mutation { linkLineage(input: { parentEuid: "${p}", childEuid: "${ch}", relationshipType: "${type}" }) { id } }`);
    expect((await q(a, a)).errors?.[0].extensions?.code).toBe('CYCLE_DETECTED');
    expect((await q(c, a)).errors?.[0].extensions?.code).toBe('CYCLE_DETECTED');
    expect((await q(b, a, 'other_type')).errors?.[0].extensions?.code).toBe('CYCLE_DETECTED');
    expect((await q(a, b)).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await q(a, c, 'Bad Type')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await q(a, 'BCT-ZZZZ')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // the same pair with another type is a different edge
    expect(ok(await q(a, b, 'aliquot_of')).linkLineage.id).toMatch(/^EDG-/);
  });

  it('never lets concurrent links close a cycle', async () => {
    const nodes = await Promise.all(Array.from({ length: 4 }, () => create(t, { templateCode: GDNA })));
    // a ring of links fired at once: at least one must be refused
    const results = await Promise.all(
      nodes.map((n, i) => t.gql(`mutation { linkLineage(input: { parentEuid: "${n}", childEuid: "${nodes[(i + 1) % nodes.length]}" }) { id } }`)),
    );
    const refused = results.filter((r) => r.errors);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(r.errors?.[0].extensions?.code).toBe('CYCLE_DETECTED');
  });

  it('unlinks by edge EUID; a second unlink is NOT_FOUND', async () => {
    const a = await create(t, { templateCode: GDNA });
    const b = await create(t, { templateCode: GDNA });
    const e = await link(t, a, b);
    expect(ok(await t.gql(`mutation { unlinkLineage(euid: "${e}") { euid deleted } }`)).unlinkLineage).toEqual({ euid: e, deleted: true });
    expect((await t.gql(`mutation { unlinkLineage(euid: "${e}") { euid } }`)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await lineage(a, 'DESCENDANTS')).nodes).toEqual([]);
  });
});

describe('lineage query', () => {
  // root → a → c → e → f ; root → b → c (diamond) ; x → root (ancestor) ; a → d (aliquot_of)
  let g: Record<string, string>;
  beforeAll(async () => {
    g = {};
    for (const k of ['root', 'a', 'b', 'c', 'd', 'e', 'f', 'x']) g[k] = await create(t, { templateCode: GDNA, name: `dag-${k}` });
    await link(t, g.root, g.a);
    await link(t, g.root, g.b);
    await link(t, g.a, g.c);
    await link(t, g.b, g.c);
    await link(t, g.c, g.e);
    await link(t, g.e, g.f);
    await link(t, g.a, g.d, 'aliquot_of');
    await link(t, g.x, g.root, 'derived_from');
  });

  it('walks descendants to a depth, each node once despite the diamond', async () => {
    const l = await lineage(g.root, 'DESCENDANTS', 2);
    expect(l.root.id).toBe(g.root);
    expect(ids(l.nodes)).toEqual([g.a, g.b, g.c, g.d].sort());
    expect(l.edges).toHaveLength(5); // root→a, root→b, a→c, b→c, a→d
    expect(l.distances.find((d: any) => d.euid === g.c).distance).toBe(2);
    const deep = await lineage(g.root, 'DESCENDANTS', 10);
    expect(ids(deep.nodes)).toEqual([g.a, g.b, g.c, g.d, g.e, g.f].sort());
    expect(deep.distances.find((d: any) => d.euid === g.f).distance).toBe(4);
  });

  it('walks ancestors, and both directions at once', async () => {
    const up = await lineage(g.f, 'ANCESTORS', 10);
    expect(ids(up.nodes)).toEqual([g.e, g.c, g.a, g.b, g.root, g.x].sort());
    expect(up.distances.find((d: any) => d.euid === g.x).distance).toBe(-5);
    const both = await lineage(g.root, 'BOTH', 1);
    expect(ids(both.nodes)).toEqual([g.a, g.b, g.x].sort());
    expect(both.edges.map((e: any) => `${e.parentEuid}>${e.childEuid}`).sort()).toEqual(
      [`${g.root}>${g.a}`, `${g.root}>${g.b}`, `${g.x}>${g.root}`].sort(),
    );
  });

  it('restricts to relationship types', async () => {
    const onlyAliquots = await lineage(g.root, 'DESCENDANTS', 5, ['aliquot_of']);
    expect(onlyAliquots.nodes).toEqual([]);
    const fromA = await lineage(g.a, 'DESCENDANTS', 5, ['aliquot_of']);
    expect(ids(fromA.nodes)).toEqual([g.d]);
    const generic = await lineage(g.root, 'BOTH', 5, ['generic']);
    expect(ids(generic.nodes)).not.toContain(g.x);
    expect(ids(generic.nodes)).not.toContain(g.d);
  });

  it('does not walk through soft-deleted objects', async () => {
    const p = await create(t, { templateCode: GDNA });
    const mid = await create(t, { templateCode: GDNA });
    const leaf = await create(t, { templateCode: GDNA });
    await link(t, p, mid);
    await link(t, mid, leaf);
    ok(await t.gql(`mutation { deleteObject(euid: "${mid}") { deleted } }`));
    expect((await lineage(p, 'DESCENDANTS', 5)).nodes).toEqual([]);
  });

  it('refuses a depth outside 1…max and an unknown root', async () => {
    for (const depth of [0, -1, 26]) {
      const r = await t.gql(LINEAGE, { euid: g.root, direction: 'BOTH', depth });
      expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const r = await t.gql(LINEAGE, { euid: 'BCT-ZZZZ', direction: 'BOTH', depth: 2 });
    expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('is answered by one SQL statement (plus none per node)', async () => {
    const seen: string[] = [];
    const off = t.testDb.db.onQuery((sql) => seen.push(sql));
    try {
      const l = await lineage(g.root, 'BOTH', 10);
      expect(l.nodes.length).toBe(7);
    } finally {
      off();
    }
    // authentication reads the credential first; everything after it is the lineage field
    const execution = requestStatements(seen);
    expect(execution.filter((s) => /WITH RECURSIVE/i.test(s))).toHaveLength(1);
    expect(execution).toHaveLength(1);
  });
});
