import { requestStatements } from '../helpers/statements.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { GDNA, PLATE_96, create, link, place } from '../helpers/fixtures.js';
import { allPositions } from '../../src/domain/wells.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  const plate = await create(t, { templateCode: PLATE_96, name: 'plate-for-qc' });
  const parent = await create(t, { templateCode: GDNA, name: 'parent-for-qc' });
  const wells = allPositions({ rows: 8, columns: 12 });
  for (let i = 0; i < 100; i++) {
    const s = await create(t, { templateCode: GDNA, name: `qc-${i}` });
    if (i < 96) ok(await place(t, plate, s, wells[i]));
    await link(t, parent, s);
  }
});
afterAll(async () => {
  await t?.close();
});

describe('DataLoader batching', () => {
  it('lists 100 objects with placement, parents, template and edges in a constant number of queries', async () => {
    const seen: string[] = [];
    const off = t.testDb.db.onQuery((sql) => seen.push(sql));
    let r: any;
    try {
      r = ok(await t.gql(`{ objects(first: 100, filter: { nameContains: "qc-" }) { nodes {
        id name template { code }
        placement { position container { id name } }
        parents { id name }
        parentEdges { id relationshipType parent { id } }
      } } }`));
    } finally {
      off();
    }
    expect(r.objects.nodes).toHaveLength(100);
    expect(r.objects.nodes.filter((n: any) => n.placement)).toHaveLength(96);
    expect(r.objects.nodes.every((n: any) => n.parents.length === 1)).toBe(true);
    // list + template + placements + containers + edges + parents: batched, not per row
    const sent = requestStatements(seen, { includeAuth: true });
    expect(sent.length).toBeLessThanOrEqual(8);
    console.info(`[query-count] 100 objects with placements and parents: ${sent.length} SQL statements (credential lookup included)`);
  });
});
