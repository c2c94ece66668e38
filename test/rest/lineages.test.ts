// Bloom §1.5 /api/v1/lineages over real HTTP: list with parent/child filters,
// create (with labgraph's self-link, cycle and duplicate checks), delete, 405, and
// the GraphQL twins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { GDNA, BLOOD, create, link } from '../helpers/fixtures.js';
import { createAccount, mintKey } from '../helpers/matrixAccounts.js';
import { auditFor, outboxFor } from '../helpers/idempotency.js';

let t: TestGateway;
let readOnly: string;
const bodies: string[] = [];

async function rest(method: string, path: string, opts: { json?: unknown; auth?: string | null } = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (opts.auth !== null) headers.authorization = opts.auth ?? `Bearer ${ADMIN_KEY}`;
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${t.url}/api/v1${path}`, { method, headers, body: opts.json === undefined ? undefined : JSON.stringify(opts.json) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const linkRest = (parent_euid: string, child_euid: string, relationship_type?: string | null) =>
  rest('POST', '/lineages/', { json: { parent_euid, child_euid, ...(relationship_type !== undefined ? { relationship_type } : {}) } });

beforeAll(async () => {
  t = await startTestGateway();
  const account = await createAccount(t, 'READ_ONLY', undefined);
  readOnly = `Bearer ${(await mintKey(t, account.id)).token}`;
});
afterAll(async () => {
  await t?.close();
});

describe('POST /lineages/', () => {
  it('links parent → child, "generic" by default, and answers with the edge EUID', async () => {
    const [p, c] = [await create(t, { templateCode: BLOOD }), await create(t, { templateCode: GDNA })];
    const r = await linkRest(p, c);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ success: true, euid: expect.stringMatching(/^EDG-/), parent_euid: p, child_euid: c, relationship_type: 'generic', message: 'Lineage created successfully' });
    const typed = await rest('POST', '/lineages', { json: { parent_euid: p, child_euid: c, relationship_type: 'derived_from' } });
    expect(typed.body).toMatchObject({ success: true, relationship_type: 'derived_from' });
    const nulled = await linkRest(p, await create(t, { templateCode: GDNA }), null);
    expect(nulled.body.relationship_type).toBe('generic');
    expect(await outboxFor(t, r.body.euid)).toEqual(['lineage.created']);
  });

  it('refuses self-links, cycles and duplicates with 409 (Bloom does not check)', async () => {
    const [a, b, c] = [await create(t, { templateCode: GDNA }), await create(t, { templateCode: GDNA }), await create(t, { templateCode: GDNA })];
    const self = await linkRest(a, a);
    expect(self.status).toBe(409);
    expect(self.body.detail).toMatch(/own parent/);
    expect((await linkRest(a, b)).status).toBe(200);
    expect((await linkRest(b, c)).status).toBe(200);
    const dup = await linkRest(a, b);
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toMatch(/already exists/);
    const cycle = await linkRest(c, a);
    expect(cycle.status).toBe(409);
    expect(cycle.body.detail).toMatch(/cycle/);
    expect((await linkRest(a, b, 'other_kind')).status).toBe(200); // another relationship type is another edge
  });

  it('answers 404 "Parent not found" / "Child not found", and 422 for missing fields or a bad relationship_type', async () => {
    const a = await create(t, { templateCode: GDNA });
    const noParent = await linkRest('BCT-NOPE', a);
    expect(noParent.status).toBe(404);
    expect(noParent.body).toEqual({ detail: 'Parent not found: BCT-NOPE' });
    const noChild = await linkRest(a, 'BCT-NOPE');
    expect(noChild.status).toBe(404);
    expect(noChild.body).toEqual({ detail: 'Child not found: BCT-NOPE' });
    const missing = await rest('POST', '/lineages/', { json: { parent_euid: a } });
    expect(missing.status).toBe(422);
    expect(missing.body.detail[0].loc).toEqual(['body', 'child_euid']);
    expect((await rest('POST', '/lineages/', { json: {} })).body.detail).toHaveLength(2);
    expect((await linkRest(a, await create(t, { templateCode: GDNA }), 'Not Valid!')).status).toBe(422);
  });
});

describe('GET /lineages/', () => {
  it('lists edges, filtered by parent and/or child; an unknown filter EUID gives an empty list', async () => {
    const [root, x, y] = [await create(t, { templateCode: BLOOD }), await create(t, { templateCode: GDNA }), await create(t, { templateCode: GDNA })];
    const e1 = (await linkRest(root, x)).body.euid;
    const e2 = (await linkRest(root, y, 'aliquot')).body.euid;
    const e3 = (await linkRest(x, y)).body.euid;

    const all = await rest('GET', '/lineages/?page_size=1000');
    expect(Object.keys(all.body).sort()).toEqual(['items', 'page', 'page_size', 'total']);
    expect(all.body.items).toEqual(expect.arrayContaining([{ euid: e1, parent_euid: root, child_euid: x, relationship_type: 'generic' }]));

    const byParent = await rest('GET', `/lineages?parent_euid=${root}`);
    expect(byParent.body).toEqual({
      items: [
        { euid: e1, parent_euid: root, child_euid: x, relationship_type: 'generic' },
        { euid: e2, parent_euid: root, child_euid: y, relationship_type: 'aliquot' },
      ],
      total: 2, page: 1, page_size: 50,
    });
    expect((await rest('GET', `/lineages/?child_euid=${y}`)).body.items.map((i: any) => i.euid)).toEqual([e2, e3]);
    expect((await rest('GET', `/lineages/?parent_euid=${x}&child_euid=${y}`)).body.items.map((i: any) => i.euid)).toEqual([e3]);
    expect((await rest('GET', `/lineages/?parent_euid=${root}&child_euid=${root}`)).body.total).toBe(0);
    for (const q of ['parent_euid=BCT-UNKNOWN', 'child_euid=NOPE', `parent_euid=${root}&child_euid=BCT-UNKNOWN`]) {
      expect((await rest('GET', `/lineages/?${q}`)).body, q).toEqual({ items: [], total: 0, page: 1, page_size: 50 });
    }
    // an empty filter is no filter, as in Bloom
    expect((await rest('GET', '/lineages/?parent_euid=&page_size=1000')).body.total).toBe(all.body.total);
  });

  it('pages, and 422s outside the bounds', async () => {
    const p = await create(t, { templateCode: BLOOD });
    const kids = [];
    for (let i = 0; i < 3; i++) kids.push((await linkRest(p, await create(t, { templateCode: GDNA }))).body.euid);
    const page = (n: number) => rest('GET', `/lineages/?parent_euid=${p}&page=${n}&page_size=2`);
    expect((await page(1)).body).toMatchObject({ total: 3, page: 1, page_size: 2 });
    expect((await page(1)).body.items.map((i: any) => i.euid)).toEqual(kids.slice(0, 2));
    expect((await page(2)).body.items.map((i: any) => i.euid)).toEqual(kids.slice(2));
    expect((await page(3)).body.items).toEqual([]);
    for (const q of ['page=0', 'page_size=0', 'page_size=1001']) expect((await rest('GET', `/lineages/?${q}`)).status, q).toBe(422);
  });

  it('hides edges whose parent or child is soft-deleted', async () => {
    const [p, c] = [await create(t, { templateCode: BLOOD }), await create(t, { templateCode: GDNA })];
    await linkRest(p, c);
    expect((await rest('GET', `/lineages/?parent_euid=${p}`)).body.total).toBe(1);
    await rest('DELETE', `/content/${c}`);
    expect((await rest('GET', `/lineages/?parent_euid=${p}`)).body.total).toBe(0);
  });
});

describe('DELETE /lineages/{euid} and the single-lineage path', () => {
  it('removes the edge; a second delete and an unknown EUID are 404 "Lineage not found: X"', async () => {
    const [p, c] = [await create(t, { templateCode: BLOOD }), await create(t, { templateCode: GDNA })];
    const e = (await linkRest(p, c)).body.euid;
    expect((await rest('DELETE', `/lineages/${e}`)).body).toEqual({ success: true, euid: e, message: 'Lineage permanently deleted' });
    expect((await rest('GET', `/lineages/?parent_euid=${p}`)).body.total).toBe(0);
    for (const x of [e, 'EDG-NOPE']) {
      const r = await rest('DELETE', `/lineages/${x}`);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ detail: `Lineage not found: ${x}` });
    }
    expect((await linkRest(p, c)).status).toBe(200); // the pair can be linked again
  });

  it('answers 405 to GET and other verbs on /lineages/{euid}', async () => {
    for (const m of ['GET', 'PUT', 'PATCH']) {
      const r = await rest(m, '/lineages/EDG-16', { json: m === 'GET' ? undefined : {} });
      expect(r.status, m).toBe(405);
      expect(r.body).toEqual({ detail: 'Method Not Allowed' });
      expect(r.headers.get('allow')).toBe('DELETE');
    }
  });
});

describe('auth', () => {
  it('answers 401 without a credential', async () => {
    for (const [m, p] of [['GET', '/lineages/'], ['POST', '/lineages/'], ['DELETE', '/lineages/EDG-16'], ['GET', '/lineages/EDG-16']] as const) {
      const r = await rest(m, p, { auth: null, json: m === 'POST' ? {} : undefined });
      expect(r.status, `${m} ${p}`).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('lets READ_ONLY list but not link or unlink (403; Bloom lets any caller write lineages)', async () => {
    const [p, c] = [await create(t, { templateCode: BLOOD }), await create(t, { templateCode: GDNA })];
    const e = await link(t, p, c);
    expect((await rest('GET', `/lineages/?parent_euid=${p}`, { auth: readOnly })).body.total).toBe(1);
    for (const [m, path, json] of [['POST', '/lineages/', { parent_euid: c, child_euid: p }], ['DELETE', `/lineages/${e}`, undefined]] as const) {
      const r = await rest(m, path, { auth: readOnly, json });
      expect(r.status, m).toBe(403);
      expect(r.body.detail).toMatch(/lineage:write/);
    }
    expect((await rest('GET', `/lineages/?parent_euid=${p}`)).body.total).toBe(1);
  });
});

describe('REST writes and their GraphQL twins', () => {
  it('POST and DELETE /lineages write what linkLineage and unlinkLineage write', async () => {
    const [p1, c1, p2, c2] = [await create(t, { templateCode: BLOOD }), await create(t, { templateCode: GDNA }), await create(t, { templateCode: BLOOD }), await create(t, { templateCode: GDNA })];
    const viaRest = (await linkRest(p1, c1, 'aliquot')).body.euid;
    const viaGql = await link(t, p2, c2, 'aliquot');
    const edge = (e: string) => t.testDb.db.query(`SELECT relationship_type, properties FROM lineage_edge WHERE euid = $1`, [e]);
    expect(await edge(viaRest)).toEqual(await edge(viaGql));
    await rest('DELETE', `/lineages/${viaRest}`);
    ok(await t.gql(`mutation($e: ID!) { unlinkLineage(euid: $e) { deleted } }`, { e: viaGql }));
    expect(await edge(viaRest)).toEqual([]);
    const ops = async (e: string) => (await auditFor(t, e)).map((a) => a.operation);
    expect(await ops(viaRest)).toEqual(await ops(viaGql));
    expect(await ops(viaRest)).toEqual(['unlinkLineage', 'linkLineage']);
    expect(await outboxFor(t, viaRest)).toEqual(await outboxFor(t, viaGql));
    expect(await outboxFor(t, viaRest)).toEqual(['lineage.created', 'lineage.deleted']);
  });
});

describe('payloads', () => {
  it('never contain "uuid"', () => {
    expect(bodies.length).toBeGreaterThan(40);
    for (const b of bodies) expect(b).not.toMatch(/uuid/i);
  });
});
