// Bloom §1.11 /api/v1/external/specimens over real HTTP: the atlas guard, create
// with Bloom's own Idempotency-Key replay (including 20 racing requests), the
// by-reference lookup (keys ANDed, through containers), get, patch, errors, and
// the GraphQL twin of a create.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { PLATE_96, create } from '../helpers/fixtures.js';
import { createAccount, createUser, mintKey, mintUserToken } from '../helpers/matrixAccounts.js';
import { auditFor, newKey, outboxFor } from '../helpers/idempotency.js';

const SPECIMEN_KEYS = ['atlas_refs', 'container_euid', 'created', 'idempotency_key', 'properties', 'specimen_euid', 'status'];

let t: TestGateway;
let atlas: string; // a Bloom user token (internal_rw) of a user in ENABLE_ATLAS_API
let atlasReadOnly: string; // the same group, internal_ro
let atlasOther: string; // another user in ENABLE_ATLAS_API
let noGroup: string; // a user token outside ENABLE_ATLAS_API
let apiKey: string; // a READ_WRITE service-account key in every group
const bodies: string[] = [];

type Res = { status: number; body: any; headers: Headers };

async function rest(method: string, path: string, opts: { json?: unknown; auth?: string | null; key?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = {};
  if (opts.auth !== null) headers.authorization = opts.auth ?? atlas;
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  if (opts.key !== undefined) headers['idempotency-key'] = opts.key;
  const res = await fetch(`${t.url}/api/v1${path}`, { method, headers, body: opts.json === undefined ? undefined : JSON.stringify(opts.json) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const post = (json: unknown, key?: string, auth?: string) => rest('POST', '/external/specimens', { json, key, auth });

const count = async (sql: string, params: unknown[] = []) => Number((await t.testDb.db.query<{ n: number }>(sql, params))[0].n);
const specimensWithKey = (key: string) =>
  count(`SELECT count(*)::int AS n FROM material_object WHERE deleted_at IS NULL AND properties->>'external_idempotency_key' = $1`, [key]);

const objectView = async (euid: string) =>
  ok(await t.gql<{ object: any }>(
    `query($e: ID!) { object(euid: $e) { euid name category type subtype status properties references { provider type value } placement { containerEuid } } }`,
    { e: euid },
  )).object;

beforeAll(async () => {
  t = await startTestGateway();
  const user = await createUser(t, 'READ_WRITE', ['API_ACCESS', 'ENABLE_ATLAS_API']);
  atlas = `Bearer ${(await mintUserToken(t, user.id, 'internal_rw')).secret}`;
  atlasReadOnly = `Bearer ${(await mintUserToken(t, user.id, 'internal_ro')).secret}`;
  const other = await createUser(t, 'READ_WRITE', ['API_ACCESS', 'ENABLE_ATLAS_API']);
  atlasOther = `Bearer ${(await mintUserToken(t, other.id, 'internal_rw')).secret}`;
  const outsider = await createUser(t, 'READ_WRITE', ['API_ACCESS']);
  noGroup = `Bearer ${(await mintUserToken(t, outsider.id, 'internal_rw')).secret}`;
  const account = await createAccount(t, 'READ_WRITE', ['API_ACCESS', 'ENABLE_ATLAS_API']);
  apiKey = `Bearer ${(await mintKey(t, account.id)).token}`;
});
afterAll(async () => {
  await t?.close();
});

describe('atlas guard', () => {
  it('answers 401 without a credential', async () => {
    for (const [m, p] of [['POST', '/external/specimens'], ['GET', '/external/specimens/by-reference'], ['GET', '/external/specimens/BCT-11'], ['PATCH', '/external/specimens/BCT-11']] as const) {
      const r = await rest(m, p, { auth: null, json: m === 'GET' ? undefined : {} });
      expect(r.status, `${m} ${p}`).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('answers 401 "External endpoint requires Bloom API bearer token" for an API key or the bootstrap key', async () => {
    for (const auth of [apiKey, `Bearer ${ADMIN_KEY}`]) {
      for (const [m, p] of [['POST', '/external/specimens'], ['GET', '/external/specimens/by-reference?kit_barcode=x'], ['GET', '/external/specimens/BCT-11'], ['PATCH', '/external/specimens/BCT-11']] as const) {
        const r = await rest(m, p, { auth, json: m === 'GET' ? undefined : { atlas_refs: { kit_barcode: 'k' } } });
        expect(r.status, `${m} ${p}`).toBe(401);
        expect(r.body).toEqual({ detail: 'External endpoint requires Bloom API bearer token' });
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    }
  });

  it('answers 403 for a user token outside ENABLE_ATLAS_API, before validating the body', async () => {
    for (const [m, p, json] of [['POST', '/external/specimens', {}], ['GET', '/external/specimens/by-reference', undefined], ['GET', '/external/specimens/BCT-11', undefined], ['PATCH', '/external/specimens/BCT-11', {}]] as const) {
      const r = await rest(m, p, { auth: noGroup, json });
      expect(r.status, `${m} ${p}`).toBe(403);
      expect(r.body).toEqual({ detail: 'Group membership required: ENABLE_ATLAS_API' });
    }
  });

  it('lets an internal_ro token read but refuses its writes (labgraph requires objects:write)', async () => {
    const made = await post({ atlas_refs: { kit_barcode: 'KIT-RO' } });
    expect((await rest('GET', `/external/specimens/${made.body.specimen_euid}`, { auth: atlasReadOnly })).status).toBe(200);
    expect((await rest('GET', '/external/specimens/by-reference?kit_barcode=KIT-RO', { auth: atlasReadOnly })).body.total).toBe(1);
    for (const [m, p] of [['POST', '/external/specimens'], ['PATCH', `/external/specimens/${made.body.specimen_euid}`]] as const) {
      const r = await rest(m, p, { auth: atlasReadOnly, json: { atlas_refs: { kit_barcode: 'x' } } });
      expect(r.status, `${m} ${p}`).toBe(403);
      expect(r.body.detail).toMatch(/objects:write/);
    }
  });
});

describe('POST /external/specimens', () => {
  it('creates a specimen in a new container "<name> container", with its Atlas references and events', async () => {
    const r = await post({ specimen_name: 'Blood draw 1', properties: { volume_ul: 500, lab: 'north' }, atlas_refs: { trf_euid: ' TRF-1 ', patient_id: 'P-1', kit_barcode: '' } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(SPECIMEN_KEYS);
    expect(r.body).toEqual({
      specimen_euid: expect.stringMatching(/^BCT-/),
      container_euid: expect.stringMatching(/^BCN-/),
      status: 'active',
      atlas_refs: { patient_id: 'P-1', trf_euid: 'TRF-1' },
      properties: { volume_ul: 500, lab: 'north', name: 'Blood draw 1' },
      idempotency_key: null,
      created: true,
    });
    const specimen = await objectView(r.body.specimen_euid);
    expect(specimen).toMatchObject({ name: 'Blood draw 1', category: 'content', type: 'specimen', subtype: 'generic', placement: { containerEuid: r.body.container_euid } });
    expect(specimen.references).toEqual(expect.arrayContaining([{ provider: 'atlas', type: 'trf_euid', value: 'TRF-1' }, { provider: 'atlas', type: 'patient_id', value: 'P-1' }]));
    expect(await objectView(r.body.container_euid)).toMatchObject({ name: 'Blood draw 1 container', category: 'container', type: 'tube', subtype: 'generic' });
    expect(await outboxFor(t, r.body.specimen_euid)).toEqual(['content.created', 'object.created', 'specimen.created']);
    expect(await outboxFor(t, r.body.container_euid)).toEqual(['container.content_placed', 'container.created', 'object.created']);
  });

  it('uses a given container, a given template and status; the EUID names an unnamed specimen', async () => {
    const tube = await create(t, { templateCode: 'container/tube/generic/1.0', name: 'given tube' });
    const r = await post({ specimen_template_code: '/content/specimen/blood-whole/1.0/', container_euid: tube, status: 'received', atlas_refs: { atlas_tenant_id: 'T-1' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ container_euid: tube, status: 'received', atlas_refs: { atlas_tenant_id: 'T-1' }, properties: {}, created: true });
    expect(await objectView(r.body.specimen_euid)).toMatchObject({ name: r.body.specimen_euid, subtype: 'blood-whole' });
  });

  it('answers 422 when no Atlas reference is given, 400 when every one is blank', async () => {
    for (const json of [{}, { atlas_refs: {} }, { atlas_refs: { trf_euid: '', patient_id: null } }]) {
      const r = await post(json);
      expect(r.status, JSON.stringify(json)).toBe(422);
      if ('atlas_refs' in json) expect(r.body).toEqual({ detail: [{ loc: ['body'], msg: 'Value error, At least one Atlas reference is required', type: 'value_error' }] });
      else expect(r.body.detail[0]).toMatchObject({ loc: ['body', 'atlas_refs'], type: 'missing', msg: 'Field required' });
    }
    const blank = await post({ atlas_refs: { trf_euid: '   ' } });
    expect(blank.status).toBe(400);
    expect(blank.body).toEqual({ detail: 'At least one Atlas reference is required' });
    expect((await post({ atlas_refs: { trf_euid: 5 } })).status).toBe(422);
    expect((await post({ atlas_refs: { trf_euid: 'x' }, properties: 'no' })).status).toBe(422);
  });

  it("answers Bloom's 400s for bad template codes, unknown templates and containers", async () => {
    const refs = { atlas_refs: { kit_barcode: 'K-400' } };
    const cases: [Record<string, unknown>, string][] = [
      [{ specimen_template_code: 'content/specimen/generic' }, 'Template code must be category/type/subtype/version: content/specimen/generic'],
      [{ specimen_template_code: 'content/specimen/nope/1.0' }, 'Template not found: content/specimen/nope/1.0'],
      [{ container_template_code: 'container/tube/nope/1.0' }, 'Template not found: container/tube/nope/1.0'],
      [{ container_euid: 'BCN-ZZZZ' }, 'Container not found: BCN-ZZZZ'],
    ];
    const before = await count(`SELECT count(*)::int AS n FROM material_object`);
    for (const [extra, detail] of cases) {
      const r = await post({ ...refs, ...extra });
      expect(r.status, detail).toBe(400);
      expect(r.body).toEqual({ detail });
    }
    const specimen = (await post({ atlas_refs: { kit_barcode: 'K-400b' } })).body.specimen_euid;
    const notContainer = await post({ ...refs, container_euid: specimen });
    expect(notContainer.body).toEqual({ detail: `EUID is not a container: ${specimen}` });
    expect(await count(`SELECT count(*)::int AS n FROM material_object`)).toBe(before + 2); // only the one good create
  });
});

describe('Idempotency-Key (Bloom replay)', () => {
  it('replays the current state with created:false: no second object, no second specimen.created', async () => {
    const key = newKey('ext');
    const first = await post({ specimen_name: 'replayed', atlas_refs: { order_euid: 'ORD-1' } }, ` ${key} `);
    expect(first.body).toMatchObject({ created: true, idempotency_key: key, properties: { name: 'replayed', external_idempotency_key: key } });
    const objects = await count(`SELECT count(*)::int AS n FROM material_object`);
    const events = await count(`SELECT count(*)::int AS n FROM outbox_event`);

    const again = await post({ specimen_name: 'replayed', atlas_refs: { order_euid: 'ORD-1' } }, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, created: false });

    // Same key, another body, another caller: still the original (Bloom: no 409, no body comparison).
    await rest('PATCH', `/external/specimens/${first.body.specimen_euid}`, { json: { status: 'received' } });
    const other = await post({ specimen_name: 'different', atlas_refs: { kit_barcode: 'OTHER' } }, key, atlasOther);
    expect(other.body).toEqual({ ...first.body, status: 'received', created: false });

    expect(await count(`SELECT count(*)::int AS n FROM material_object`)).toBe(objects);
    expect(await outboxFor(t, first.body.specimen_euid)).toEqual(['content.created', 'object.created', 'object.updated', 'specimen.created', 'specimen.updated']);
    expect(await count(`SELECT count(*)::int AS n FROM outbox_event`)).toBe(events + 2); // only the PATCH's
    expect(await auditFor(t, first.body.specimen_euid)).toEqual([
      expect.objectContaining({ operation: 'updateObject' }),
      expect.objectContaining({ operation: 'createObject', idempotencyKey: key }),
    ]);

    // The schema still wins over a replay; a blank key always creates.
    expect((await post({ atlas_refs: {} }, key)).status).toBe(422);
    const blankKey = await post({ atlas_refs: { order_euid: 'ORD-1' } }, '  ');
    expect(blankKey.body).toMatchObject({ created: true, idempotency_key: null });
    expect(blankKey.body.specimen_euid).not.toBe(first.body.specimen_euid);
  });

  it('frees the key when the specimen is deleted', async () => {
    const key = newKey('ext-del');
    const first = await post({ atlas_refs: { order_euid: 'ORD-DEL' } }, key);
    expect((await rest('DELETE', `/content/${first.body.specimen_euid}`, { auth: `Bearer ${ADMIN_KEY}` })).status).toBe(200);
    expect((await rest('GET', `/external/specimens/${first.body.specimen_euid}`)).status).toBe(404);
    const second = await post({ atlas_refs: { order_euid: 'ORD-DEL' } }, key);
    expect(second.body).toMatchObject({ created: true, idempotency_key: key });
    expect(second.body.specimen_euid).not.toBe(first.body.specimen_euid);
  });

  it('lets exactly one of 20 concurrent creates with one key create', async () => {
    const key = newKey('ext-race');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post({ specimen_name: `race ${i}`, atlas_refs: { kit_barcode: 'RACE' } }, key)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(results.filter((r) => r.body.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.specimen_euid)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.container_euid)).size).toBe(1);
    expect(await specimensWithKey(key)).toBe(1);
    expect(await outboxFor(t, results[0].body.specimen_euid)).toEqual(['content.created', 'object.created', 'specimen.created']);
  });

  it('refuses a malformed key with 400', async () => {
    const r = await post({ atlas_refs: { kit_barcode: 'K' } }, 'k'.repeat(256));
    expect(r.status).toBe(400);
  });
});

describe('GET /external/specimens/by-reference', () => {
  it('ANDs the keys, matches through the container, sorts by EUID, and answers empty without keys', async () => {
    const tag = newKey('ref');
    const a = (await post({ atlas_refs: { trf_euid: `TRF-${tag}`, patient_id: `P-${tag}` } })).body;
    const b = (await post({ atlas_refs: { trf_euid: `TRF-${tag}`, patient_id: `Q-${tag}` } })).body;
    // A container carrying the references (via GraphQL) holds a specimen without them.
    const plate = await create(t, { templateCode: 'container/tube/generic/1.0', references: [{ provider: 'atlas', type: 'shipment_euid', value: `SH-${tag}` }] });
    const c = (await post({ container_euid: plate, atlas_refs: { kit_barcode: `K-${tag}` } })).body;

    const get = (q: string) => rest('GET', `/external/specimens/by-reference?${q}`);
    const both = await get(`trf_euid=TRF-${tag}`);
    expect(both.body.total).toBe(2);
    expect(both.body.items.map((i: any) => i.specimen_euid)).toEqual([a.specimen_euid, b.specimen_euid].sort());
    expect(Object.keys(both.body).sort()).toEqual(['items', 'total']);
    expect(both.body.items.find((i: any) => i.specimen_euid === a.specimen_euid)).toEqual({ ...a });

    expect((await get(`trf_euid=TRF-${tag}&patient_id=P-${tag}`)).body.items.map((i: any) => i.specimen_euid)).toEqual([a.specimen_euid]);
    expect((await get(`trf_euid=TRF-${tag}&patient_id=Q-${tag}`)).body.items.map((i: any) => i.specimen_euid)).toEqual([b.specimen_euid]);
    expect((await get(`trf_euid=TRF-${tag}&patient_id=NOPE`)).body).toEqual({ items: [], total: 0 });
    // Keys are ANDed on one object: the container's shipment and the specimen's kit do not combine.
    expect((await get(`shipment_euid=SH-${tag}&kit_barcode=K-${tag}`)).body.total).toBe(0);

    const viaContainer = await get(`shipment_euid=SH-${tag}`);
    expect(viaContainer.body.items.map((i: any) => i.specimen_euid)).toEqual([c.specimen_euid]);
    expect(viaContainer.body.items[0]).toMatchObject({ container_euid: plate, atlas_refs: { shipment_euid: `SH-${tag}`, kit_barcode: `K-${tag}` } });

    expect((await get('')).body).toEqual({ items: [], total: 0 });
    expect((await get('trf_euid=%20%20&unknown=1')).body).toEqual({ items: [], total: 0 });

    await rest('DELETE', `/content/${a.specimen_euid}`, { auth: `Bearer ${ADMIN_KEY}` });
    expect((await get(`trf_euid=TRF-${tag}`)).body.items.map((i: any) => i.specimen_euid)).toEqual([b.specimen_euid]);
  });
});

describe('GET /external/specimens/{euid}', () => {
  it('answers the specimen, and 404 for missing, deleted and non-content EUIDs', async () => {
    const made = (await post({ specimen_name: 'got', atlas_refs: { atlas_test_euid: 'TST-1' } }, newKey('get'))).body;
    const r = await rest('GET', `/external/specimens/${made.specimen_euid}`);
    expect(r.body).toEqual({ ...made, created: true });
    for (const e of ['BCT-ZZZZ', 'NONEXISTENT_EUID']) {
      const miss = await rest('GET', `/external/specimens/${e}`);
      expect(miss.status).toBe(404);
      expect(miss.body).toEqual({ detail: `Specimen not found: ${e}` });
    }
    const notContent = await rest('GET', `/external/specimens/${made.container_euid}`);
    expect(notContent.status).toBe(404);
    expect(notContent.body).toEqual({ detail: `EUID is not a specimen content object: ${made.container_euid}` });
  });
});

describe('PATCH /external/specimens/{euid}', () => {
  it('applies name (mirrored), status, properties (shallow merge), refs (replace all) and moves to a new container', async () => {
    const made = (await post({ specimen_name: 'before', properties: { a: 1, b: 2 }, atlas_refs: { trf_euid: 'T-A', patient_id: 'P-A' } })).body;
    const tube = await create(t, { templateCode: 'container/tube/generic/1.0', name: 'new home' });
    const r = await rest('PATCH', `/external/specimens/${made.specimen_euid}`, {
      json: { specimen_name: 'after', status: 'received', properties: { b: 3 }, atlas_refs: { patient_id: 'P-B', kit_barcode: 'K-B' }, container_euid: tube },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      specimen_euid: made.specimen_euid, container_euid: tube, status: 'received',
      atlas_refs: { kit_barcode: 'K-B', patient_id: 'P-B' }, properties: { a: 1, b: 3, name: 'after' }, idempotency_key: null, created: true,
    });
    expect((await rest('GET', `/external/specimens/${made.specimen_euid}`)).body).toEqual(r.body);
    expect((await rest('GET', '/external/specimens/by-reference?trf_euid=T-A')).body.total).toBe(0);
    expect(await outboxFor(t, made.container_euid)).toContain('container.content_removed');

    // An empty body changes nothing and writes nothing.
    const audits = (await auditFor(t, made.specimen_euid)).length;
    expect((await rest('PATCH', `/external/specimens/${made.specimen_euid}`, { json: {} })).body).toEqual(r.body);
    expect(await auditFor(t, made.specimen_euid)).toHaveLength(audits);
  });

  it('answers 404 for a missing specimen, 400 for bad containers, blank refs and non-content, 422 for bad types', async () => {
    const made = (await post({ atlas_refs: { trf_euid: 'T-P' } })).body;
    const missing = await rest('PATCH', '/external/specimens/BCT-ZZZZ', { json: { status: 'received' } });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: 'Specimen not found: BCT-ZZZZ' });
    const p = `/external/specimens/${made.specimen_euid}`;
    expect((await rest('PATCH', p, { json: { container_euid: 'BCN-ZZZZ' } })).body).toEqual({ detail: 'Container not found: BCN-ZZZZ' });
    expect((await rest('PATCH', p, { json: { container_euid: made.specimen_euid } })).body).toEqual({ detail: `EUID is not a container: ${made.specimen_euid}` });
    const blank = await rest('PATCH', p, { json: { atlas_refs: { trf_euid: ' ' } } });
    expect(blank.status).toBe(400);
    expect(blank.body).toEqual({ detail: 'At least one Atlas reference is required' });
    const notContent = await rest('PATCH', `/external/specimens/${made.container_euid}`, { json: { status: 'x' } });
    expect(notContent.status).toBe(400);
    expect(notContent.body).toEqual({ detail: `EUID is not a specimen content object: ${made.container_euid}` });
    for (const json of [{ properties: 'x' }, { status: 5 }, { atlas_refs: 'x' }]) expect((await rest('PATCH', p, { json })).status, JSON.stringify(json)).toBe(422);
    // Nothing above changed the specimen.
    expect((await rest('GET', p)).body).toEqual({ ...made, created: true });
  });
});

describe('REST create and its GraphQL twin', () => {
  it('writes the same kinds of rows, audit entries and events as createObject ×2 + placeInContainer', async () => {
    const viaRest = (await post({ specimen_name: 'twin', properties: { volume_ul: 5 }, atlas_refs: { kit_barcode: 'TWIN' } })).body;

    const gSpecimen = await create(t, { templateCode: 'content/specimen/generic/1.0', name: 'twin', properties: { volume_ul: 5, name: 'twin' }, references: [{ provider: 'atlas', type: 'kit_barcode', value: 'TWIN' }] });
    const gContainer = await create(t, { templateCode: 'container/tube/generic/1.0', name: 'twin container', properties: { name: 'twin container' } });
    ok(await t.gql(`mutation($c: ID!, $s: ID!) { placeInContainer(input: { containerEuid: $c, contentEuid: $s }) { position } }`, { c: gContainer, s: gSpecimen }));

    const shape = async (euid: string) => {
      const o = await objectView(euid);
      return { ...o, euid: undefined, placement: o.placement ? 'placed' : null };
    };
    expect(await shape(viaRest.specimen_euid)).toEqual(await shape(gSpecimen));
    expect(await shape(viaRest.container_euid)).toEqual(await shape(gContainer));
    const ops = async (euid: string) => (await auditFor(t, euid)).map((a) => a.operation);
    expect(await ops(viaRest.specimen_euid)).toEqual(await ops(gSpecimen));
    expect(await ops(viaRest.container_euid)).toEqual(await ops(gContainer));
    expect(await ops(viaRest.container_euid)).toEqual(['placeInContainer', 'createObject']);
    expect(await outboxFor(t, viaRest.specimen_euid)).toEqual(await outboxFor(t, gSpecimen));
    expect(await outboxFor(t, viaRest.container_euid)).toEqual(await outboxFor(t, gContainer));
  });
});

describe('payloads', () => {
  it('never contain "uuid"', () => {
    expect(bodies.length).toBeGreaterThan(60);
    for (const b of bodies) expect(b).not.toMatch(/uuid/i);
  });
});

describe('the Idempotency-Key replay lookup', () => {
  it('is answered from the partial expression index, not a scan of all content', async () => {
    // Enough live content for the planner to care, then roll it all back.
    const rollback = new Error('rollback');
    let plan = '';
    await t.testDb.db
      .transaction(async (s) => {
        await s.query(
          `INSERT INTO material_object (euid, category, type, subtype, template_id, name, properties, updated_at)
           SELECT 'TST-' || g, 'content', 'sample', 'generic', (SELECT min(id) FROM template), 'x',
                  CASE WHEN g % 100 = 0 THEN jsonb_build_object('external_idempotency_key', 'k' || g) ELSE '{}'::jsonb END, now()
             FROM generate_series(1, 5000) g`,
        );
        await s.query(`ANALYZE material_object`);
        const rows = await s.query<Record<string, string>>(
          `EXPLAIN SELECT min(id) AS id FROM material_object
            WHERE category = 'content' AND deleted_at IS NULL AND properties ? 'external_idempotency_key'
              AND properties ->> 'external_idempotency_key' = $1`,
          ['k300'],
        );
        plan = rows.map((r) => Object.values(r)[0]).join('\n');
        throw rollback;
      })
      .catch((err: unknown) => {
        if (err !== rollback) throw err;
      });
    expect(plan).toContain('material_object_external_idempotency_key_idx');
  });
});
