// Bloom §1.4 /api/v1/content over real HTTP: samples, specimens and reagents from
// their template EUIDs, list/get/update/delete, errors, and the GraphQL twin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { BLOOD, GDNA, PLATE_96, create } from '../helpers/fixtures.js';
import { createAccount, mintKey } from '../helpers/matrixAccounts.js';
import { auditFor, outboxFor } from '../helpers/idempotency.js';
import { formatEuid } from '../../src/domain/euid.js';

const REAGENT = 'content/reagent/generic/1.0';

let t: TestGateway;
let readOnly: string;
const tpl: Record<string, string> = {};
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

const templateEuid = async (code: string) =>
  ok(await t.gql<{ template: { euid: string } }>(`query($r: ID!) { template(ref: $r) { euid } }`, { r: code })).template.euid;

async function newSample(name = 'dna', extra: Record<string, unknown> = {}): Promise<string> {
  const r = await rest('POST', '/content/samples', { json: { name, template_euid: tpl[GDNA], ...extra } });
  expect(r.status).toBe(200);
  return r.body.euid;
}

beforeAll(async () => {
  t = await startTestGateway();
  for (const code of [GDNA, BLOOD, REAGENT, PLATE_96]) tpl[code] = await templateEuid(code);
  const account = await createAccount(t, 'READ_ONLY', undefined);
  readOnly = `Bearer ${(await mintKey(t, account.id)).token}`;
});
afterAll(async () => {
  await t?.close();
});

describe('create', () => {
  it('creates samples, specimens and reagents from their template EUIDs, storing the measures as properties', async () => {
    const sample = await rest('POST', '/content/samples', {
      json: { name: 'gDNA 1', template_euid: tpl[GDNA], volume_ul: 20, concentration_ng_ul: 12.5, mass_ng: 0, barcode: 'S-1', json_addl: { properties: { lab: 'north' } } },
    });
    expect(sample.body).toEqual({ success: true, euid: expect.stringMatching(/^BCT-/), message: 'Sample created successfully' });
    expect((await rest('GET', `/content/${sample.body.euid}`)).body).toEqual({
      euid: sample.body.euid, name: 'gDNA 1', content_type: 'sample', subtype: 'gdna', status: 'active',
      json_addl: { properties: { lab: 'north', volume_ul: 20, concentration_ng_ul: 12.5, mass_ng: 0 } },
    });

    const specimen = await rest('POST', '/content/specimens', { json: { name: 'Blood 1', template_euid: tpl[BLOOD].toLowerCase(), specimen_type: 'blood', volume_ul: 4000 } });
    expect(specimen.body).toMatchObject({ success: true, message: 'Specimen created successfully' });
    expect((await rest('GET', `/content/${specimen.body.euid}`)).body).toMatchObject({ content_type: 'specimen', subtype: 'blood-whole' });
    expect(await outboxFor(t, specimen.body.euid)).toEqual(['content.created', 'object.created', 'specimen.created']);

    const reagent = await rest('POST', '/content/reagents', { json: { name: 'Buffer', template_euid: tpl[REAGENT], reagent_type: 'buffer', lot_number: 'L1' } });
    expect(reagent.body).toMatchObject({ success: true, message: 'Reagent created successfully' });
    expect((await rest('GET', `/content/${reagent.body.euid}`)).body).toMatchObject({ content_type: 'reagent', json_addl: { properties: {} } });
  });

  it('needs template_euid (400) and Bloom\'s fields (422)', async () => {
    for (const [path, extra] of [['samples', {}], ['specimens', { specimen_type: 'blood' }], ['reagents', { reagent_type: 'x' }]] as const) {
      const r = await rest('POST', `/content/${path}`, { json: { name: 'x', ...extra } });
      expect(r.status, path).toBe(400);
      expect(r.body).toEqual({ detail: 'template_euid is required' });
      const blank = await rest('POST', `/content/${path}`, { json: { name: 'x', template_euid: ' ', ...extra } });
      expect(blank.status, path).toBe(400);
      expect((await rest('POST', `/content/${path}`, { json: {} })).status, path).toBe(422);
    }
    const noType = await rest('POST', '/content/specimens', { json: { name: 'x', template_euid: tpl[BLOOD] } });
    expect(noType.status).toBe(422);
    expect(noType.body.detail.map((d: any) => d.loc)).toEqual([['body', 'specimen_type']]);
    expect((await rest('POST', '/content/reagents', { json: { name: 'x', template_euid: tpl[REAGENT] } })).body.detail[0].loc).toEqual(['body', 'reagent_type']);

    const badEuid = await rest('POST', '/content/samples', { json: { name: 'x', template_euid: 'BGT-123' } });
    expect(badEuid.status).toBe(422);
    expect(badEuid.body.detail[0]).toMatchObject({ loc: ['body', 'template_euid'], msg: expect.stringContaining('Invalid EUID format: BGT-123') });
    const badSpecimen = await rest('POST', '/content/samples', { json: { name: 'x', template_euid: tpl[GDNA], specimen_euid: 'BCT-123' } });
    expect(badSpecimen.body.detail[0].loc).toEqual(['body', 'specimen_euid']);

    for (const field of ['volume_ul', 'concentration_ng_ul', 'mass_ng']) {
      const r = await rest('POST', '/content/samples', { json: { name: 'x', template_euid: tpl[GDNA], [field]: -1 } });
      expect(r.status, field).toBe(422);
      expect(r.body.detail[0].loc).toEqual(['body', field]);
    }
    expect((await rest('POST', '/content/samples', { json: { name: '', template_euid: tpl[GDNA] } })).status).toBe(422);
  });

  it('answers 404 for a well-formed template EUID that does not exist, and 422 for a template property of the wrong type', async () => {
    const ghost = formatEuid('BGT', 987654);
    const r = await rest('POST', '/content/samples', { json: { name: 'x', template_euid: ghost } });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ detail: `Template not found: ${ghost}` });
    const wrong = await rest('POST', '/content/samples', { json: { name: 'x', template_euid: tpl[GDNA], json_addl: { volume_ul: 'lots' } } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.detail[0].loc).toEqual(['body', 'properties', 'volume_ul']);
  });
});

describe('auth', () => {
  it('answers 401 without a credential', async () => {
    for (const [m, p] of [['GET', '/content/'], ['POST', '/content/samples'], ['GET', '/content/BCT-11']] as const) {
      const r = await rest(m, p, { auth: null, json: m === 'POST' ? {} : undefined });
      expect(r.status, `${m} ${p}`).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('lets READ_ONLY read but refuses every write with 403', async () => {
    const s = await newSample();
    expect((await rest('GET', '/content/', { auth: readOnly })).status).toBe(200);
    expect((await rest('GET', `/content/${s}`, { auth: readOnly })).status).toBe(200);
    const writes: [string, string, unknown][] = [
      ['POST', '/content/samples', { name: 'x', template_euid: tpl[GDNA] }],
      ['POST', '/content/specimens', { name: 'x', template_euid: tpl[BLOOD], specimen_type: 'blood' }],
      ['POST', '/content/reagents', { name: 'x', template_euid: tpl[REAGENT], reagent_type: 'x' }],
      ['PUT', `/content/${s}`, { name: 'y' }],
      ['DELETE', `/content/${s}`, undefined],
    ];
    for (const [m, p, json] of writes) {
      const r = await rest(m, p, { auth: readOnly, json });
      expect(r.status, `${m} ${p}`).toBe(403);
      expect(r.body.detail).toMatch(/objects:write/);
    }
  });
});

describe('GET /content/', () => {
  it('lists live content only, filtered by content_type/subtype/status, and pages', async () => {
    const before = (await rest('GET', '/content/?page_size=1000')).body.total as number;
    const a = await newSample('list-a');
    const b = await newSample('list-b');
    const sp = (await rest('POST', '/content/specimens', { json: { name: 'list-sp', template_euid: tpl[BLOOD], specimen_type: 'blood' } })).body.euid;
    await create(t, { templateCode: PLATE_96 }); // containers are not content
    await rest('PUT', `/content/${b}`, { json: { status: 'qc_passed' } });

    const all = await rest('GET', '/content?page_size=1000');
    expect(all.body.total).toBe(before + 3);
    expect(Object.keys(all.body).sort()).toEqual(['items', 'page', 'page_size', 'total']);
    expect(all.body.items.find((i: any) => i.euid === a)).toEqual({ euid: a, name: 'list-a', content_type: 'sample', subtype: 'gdna', status: 'active' });

    const specimens = await rest('GET', '/content/?content_type=Specimen&page_size=1000');
    expect(specimens.body.items.map((i: any) => i.euid)).toContain(sp);
    expect(specimens.body.items.every((i: any) => i.content_type === 'specimen')).toBe(true);
    expect((await rest('GET', '/content/?subtype=blood-whole&page_size=1000')).body.items.map((i: any) => i.euid)).toContain(sp);
    expect((await rest('GET', '/content/?status=qc_passed')).body.items.map((i: any) => i.euid)).toEqual([b]);

    const p1 = await rest('GET', '/content/?page=1&page_size=2');
    const p2 = await rest('GET', '/content/?page=2&page_size=2');
    expect(p1.body.items).toHaveLength(2);
    expect(p2.body.items[0].euid).not.toBe(p1.body.items[1].euid);
    expect((await rest('GET', `/content/?page=${all.body.total + 1}&page_size=1`)).body.items).toEqual([]);
    for (const q of ['page=0', 'page_size=1001', 'page_size=-1']) expect((await rest('GET', `/content/?${q}`)).status, q).toBe(422);

    await rest('DELETE', `/content/${a}`);
    expect((await rest('GET', '/content/?page_size=1000')).body.total).toBe(before + 2);
  });
});

describe('GET /content/{euid}', () => {
  it('answers 404 "Content not found: X" for unknown and soft-deleted content', async () => {
    for (const e of ['BCT-ZZZZ', 'NONEXISTENT_EUID']) {
      const r = await rest('GET', `/content/${e}`);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ detail: `Content not found: ${e}` });
    }
  });
});

describe('PUT /content/{euid}', () => {
  it('applies name, status, json_addl (merged) and the measures', async () => {
    const s = await newSample('before', { json_addl: { properties: { a: 1, b: 2 } } });
    const r = await rest('PUT', `/content/${s}`, { json: { name: 'after', status: 'consumed', json_addl: { properties: { b: 3 } }, volume_ul: 7, is_deleted: false } });
    expect(r.body).toEqual({ success: true, euid: s, message: 'Content updated successfully' });
    expect((await rest('GET', `/content/${s}`)).body).toMatchObject({ name: 'after', status: 'consumed', json_addl: { properties: { a: 1, b: 3, volume_ul: 7 } } });
  });

  it('emits specimen.updated for a specimen', async () => {
    const sp = (await rest('POST', '/content/specimens', { json: { name: 'sp', template_euid: tpl[BLOOD], specimen_type: 'blood' } })).body.euid;
    await rest('PUT', `/content/${sp}`, { json: { status: 'received' } });
    expect(await outboxFor(t, sp)).toEqual(['content.created', 'object.created', 'object.updated', 'specimen.created', 'specimen.updated']);
  });

  it('treats a body with nothing to apply as a no-op; 404 and 422 otherwise', async () => {
    const s = await newSample();
    for (const json of [{}, { is_deleted: true }]) expect((await rest('PUT', `/content/${s}`, { json })).status).toBe(200);
    expect(await auditFor(t, s)).toHaveLength(1);
    expect((await rest('GET', `/content/${s}`)).status).toBe(200);
    for (const json of [{}, { name: 'x' }]) {
      const r = await rest('PUT', '/content/BCT-ZZZZ', { json });
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ detail: 'Content not found: BCT-ZZZZ' });
    }
    expect((await rest('PUT', `/content/${s}`, { json: { mass_ng: -5 } })).status).toBe(422);
    expect((await rest('PUT', `/content/${s}`, { json: { status: 'Bad Status' } })).status).toBe(422);
  });
});

describe('DELETE /content/{euid}', () => {
  it('soft deletes by default, hard deletes on request, 404 when missing', async () => {
    const a = await newSample();
    expect((await rest('DELETE', `/content/${a}`)).body).toEqual({ success: true, euid: a, message: 'Content soft deleted' });
    expect((await rest('GET', `/content/${a}`)).status).toBe(404);
    expect((await rest('DELETE', `/content/${a}`)).body).toEqual({ detail: `Content not found: ${a}` });
    const b = await newSample();
    expect((await rest('DELETE', `/content/${b}?hard_delete=true`)).body).toEqual({ success: true, euid: b, message: 'Content permanently deleted' });
    expect((await rest('DELETE', `/content/${b}?hard_delete=sure`)).status).toBe(422);
  });
});

describe('REST writes and their GraphQL twins', () => {
  const rowsOf = (euid: string) =>
    t.testDb.db.query(`SELECT o.category, o.type, o.subtype, o.status, o.name, o.barcode, o.properties, t.euid AS template
                       FROM material_object o JOIN template t ON t.id = o.template_id WHERE o.euid = $1`, [euid]);
  const ops = async (euid: string) => (await auditFor(t, euid)).map((a) => a.operation);

  it('POST /content/samples, PUT and DELETE write what createObject, updateObject and deleteObject write', async () => {
    const viaRest = await newSample('twin', { volume_ul: 3, barcode: 'TW-1' });
    const viaGql = await create(t, { templateEuid: tpl[GDNA], name: 'twin', barcode: 'TW-1', properties: { volume_ul: 3 } });
    expect(await rowsOf(viaRest)).toEqual(await rowsOf(viaGql));

    await rest('PUT', `/content/${viaRest}`, { json: { status: 'consumed', mass_ng: 9 } });
    ok(await t.gql(`mutation($e: ID!) { updateObject(euid: $e, input: { status: "consumed", properties: { mass_ng: 9 } }) { id } }`, { e: viaGql }));
    expect(await rowsOf(viaRest)).toEqual(await rowsOf(viaGql));

    await rest('DELETE', `/content/${viaRest}`);
    ok(await t.gql(`mutation($e: ID!) { deleteObject(euid: $e) { deleted } }`, { e: viaGql }));
    expect(await ops(viaRest)).toEqual(await ops(viaGql));
    expect(await ops(viaRest)).toEqual(['deleteObject', 'updateObject', 'createObject']);
    expect(await outboxFor(t, viaRest)).toEqual(await outboxFor(t, viaGql));
  });
});

describe('payloads', () => {
  it('never contain "uuid"', () => {
    expect(bodies.length).toBeGreaterThan(40);
    for (const b of bodies) expect(b).not.toMatch(/uuid/i);
  });
});
