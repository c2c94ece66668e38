// Bloom §1.6 /api/v1/object-creation over real HTTP: the wizard listings, the
// category/type guards in Bloom's order, creation by the four code parts (and
// its GraphQL twin: same rows, audit entries and events), auth, no "uuid".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { auditFor, outboxFor } from '../helpers/idempotency.js';
import { seedTemplates } from '../../src/services/templates/seedTemplates.js';
import type { TemplateDef } from '../../src/services/templates/standardTemplates.js';

let t: TestGateway;
let readOnly: Record<string, string>;
const bodies: string[] = [];

interface Res {
  status: number;
  body: any;
  headers: Headers;
}

/** One request to the REST door, as the bootstrap ADMIN unless `auth` says otherwise (null = no credential). */
async function call(method: string, path: string, body?: unknown, auth: Record<string, string> | null = adminAuth): Promise<Res> {
  const headers: Record<string, string> = { ...(auth ?? {}) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${t.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

const def = (code: string, extra: Partial<TemplateDef> = {}): TemplateDef => {
  const [category, type, subtype, version] = code.split('/');
  return { category, type, subtype, version, name: code, description: `test ${code}`, prefix: 'BDT', schema: {}, defaults: {}, ...extra };
};

beforeAll(async () => {
  t = await startTestGateway();
  const db = t.testDb.db;
  await seedTemplates(db, [
    def('data/strict/closed/1.0', { schema: { fields: [{ name: 'note', type: 'string' }], additionalProperties: false } }),
    def('data/strict/named/1.0', { schema: { fields: [{ name: 'name', type: 'string' }], additionalProperties: false } }),
    def('data/strict/named/2.0', { schema: { fields: [{ name: 'name', type: 'string' }], additionalProperties: false } }),
    def('data/hiddenonly/generic/1.0'),
    def('workflow/queue/generic/1.0'),
    def('data/gone/generic/1.0'),
  ]);
  await db.query(`UPDATE template SET hidden = true WHERE category = 'data' AND type = 'hiddenonly'`);
  await db.query(`UPDATE template SET deleted_at = now() WHERE category = 'data' AND type = 'gone'`);
  readOnly = bearer((await mintKey(t, { role: 'READ_ONLY' })).token);
});
afterAll(async () => {
  await t?.close();
});

describe('GET /object-creation/categories', () => {
  it('lists offered categories case-fold sorted, with type counts; hides retired, hidden and deleted templates', async () => {
    const r = await call('GET', '/object-creation/categories');
    expect(r.status).toBe(200);
    expect(r.body.categories).toEqual([
      { name: 'container', display_name: 'Container', type_count: 3 },
      { name: 'content', display_name: 'Content', type_count: 3 },
      { name: 'data', display_name: 'Data', type_count: 2 }, // generic + strict; hiddenonly and gone are not offered
      { name: 'equipment', display_name: 'Equipment', type_count: 1 },
      { name: 'file', display_name: 'File', type_count: 1 },
      { name: 'subject', display_name: 'Subject', type_count: 2 },
    ]);
  });

  it('answers 401 without a credential and serves READ_ONLY', async () => {
    const r = await call('GET', '/object-creation/categories', undefined, null);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await call('GET', '/object-creation/categories', undefined, readOnly)).status).toBe(200);
  });
});

describe('GET /object-creation/types', () => {
  it('lists the types of a category with subtype counts and display names', async () => {
    const r = await call('GET', '/object-creation/types?category=container');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      category: 'container',
      types: [
        { name: 'box', display_name: 'Box', subtype_count: 1 },
        { name: 'plate', display_name: 'Plate', subtype_count: 2 },
        { name: 'tube', display_name: 'Tube', subtype_count: 2 },
      ],
    });
  });

  it('answers 404 "Category not found" for an unknown, retired or only-hidden category', async () => {
    for (const c of ['nope', 'workflow']) {
      const r = await call('GET', `/object-creation/types?category=${c}`);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ detail: `Category not found: ${c}` });
    }
  });

  it('answers 422 in FastAPI shape when category is missing', async () => {
    const r = await call('GET', '/object-creation/types');
    expect(r.status).toBe(422);
    expect(r.body.detail[0]).toMatchObject({ loc: ['query', 'category'], msg: 'Field required' });
  });

  it.each([
    ['container/tube', 'Invalid category: path separators not allowed'],
    ['a\\b', 'Invalid category: path separators not allowed'],
    ['../x', 'Invalid category: path separators not allowed'], // the separator check runs first
    ['..', 'Invalid category: parent directory references not allowed'],
    ['con..tainer', 'Invalid category: parent directory references not allowed'],
    ['Container', 'Invalid category: must contain only lowercase letters, numbers, underscores, and hyphens'],
    ['', 'Invalid category: must contain only lowercase letters, numbers, underscores, and hyphens'],
    ['con tainer', 'Invalid category: must contain only lowercase letters, numbers, underscores, and hyphens'],
  ])('guards category %j with 400', async (value, detail) => {
    const r = await call('GET', `/object-creation/types?category=${encodeURIComponent(value)}`);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ detail });
  });
});

describe('GET /object-creation/subtypes', () => {
  it('lists subtypes with sorted versions and descriptions', async () => {
    const r = await call('GET', '/object-creation/subtypes?category=container&type=plate');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      category: 'container',
      type: 'plate',
      subtypes: [
        { name: 'fixed-plate-384', display_name: 'Fixed Plate 384', versions: ['1.0'], description: '16 × 24 plate, wells A1–P24.' },
        { name: 'fixed-plate-96', display_name: 'Fixed Plate 96', versions: ['1.0'], description: '8 × 12 plate, wells A1–H12.' },
      ],
    });
    const strict = await call('GET', '/object-creation/subtypes?category=data&type=strict');
    expect(strict.body.subtypes.find((s: any) => s.name === 'named').versions).toEqual(['1.0', '2.0']);
  });

  it('titles like Python (a letter after a digit is upper case)', async () => {
    const r = await call('GET', '/object-creation/subtypes?category=container&type=tube');
    expect(r.body.subtypes.map((s: any) => s.display_name)).toEqual(['Generic', 'Tube Generic 10Ml']);
  });

  it('answers 404 "Type not found: c/t", 422 on a missing type, 400 on a bad type', async () => {
    const nf = await call('GET', '/object-creation/subtypes?category=container&type=flask');
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({ detail: 'Type not found: container/flask' });
    const hidden = await call('GET', '/object-creation/subtypes?category=data&type=hiddenonly');
    expect(hidden.status).toBe(404);
    const missing = await call('GET', '/object-creation/subtypes?category=container');
    expect(missing.status).toBe(422);
    expect(missing.body.detail.map((d: any) => d.loc)).toEqual([['query', 'type']]);
    const bad = await call('GET', '/object-creation/subtypes?category=container&type=..');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ detail: 'Invalid type: parent directory references not allowed' });
    // category is checked before type
    const both = await call('GET', '/object-creation/subtypes?category=A&type=..');
    expect(both.body.detail).toMatch(/^Invalid category:/);
  });
});

describe('GET /object-creation/template', () => {
  it('returns the template form: json_addl, its properties (declared fields + defaults) and description', async () => {
    const r = await call('GET', '/object-creation/template?category=container&type=tube&subtype=tube-generic-10ml&version=1.0');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      category: 'container', type: 'tube', subtype: 'tube-generic-10ml', version: '1.0',
      template: {
        properties: { capacity_ml: 10 },
        description: 'Single-compartment tube, 10 ml.',
        instance_prefix: 'BCN',
        property_schema: { fields: [{ name: 'capacity_ml', type: 'number', min: 0 }] },
      },
      properties: { capacity_ml: 10 },
      description: 'Single-compartment tube, 10 ml.',
    });
    const gdna = await call('GET', '/object-creation/template?category=content&type=sample&subtype=gdna&version=1.0');
    expect(gdna.body.properties).toEqual({ volume_ul: null, concentration_ng_ul: null, mass_ng: null });
    const plate = await call('GET', '/object-creation/template?category=container&type=plate&subtype=fixed-plate-96&version=1.0');
    expect(plate.body.template.layout).toEqual({ rows: 8, columns: 12 });
  });

  it('answers 404 for the first missing level, in order type, subtype, version', async () => {
    const q = (c: string, ty: string, s: string, v: string) => call('GET', `/object-creation/template?category=${c}&type=${ty}&subtype=${s}&version=${v}`);
    expect((await q('container', 'flask', 'x', '9')).body).toEqual({ detail: 'Type not found: container/flask' });
    expect((await q('container', 'tube', 'x', '9')).body).toEqual({ detail: 'Subtype not found: x' });
    const v = await q('container', 'tube', 'generic', '9.9');
    expect(v.status).toBe(404);
    expect(v.body).toEqual({ detail: 'Version not found: 9.9' });
    expect((await q('data', 'gone', 'generic', '1.0')).body).toEqual({ detail: 'Type not found: data/gone' });
  });

  it('needs all four query parameters (422) and guards category/type (400)', async () => {
    const r = await call('GET', '/object-creation/template?category=container&type=tube');
    expect(r.status).toBe(422);
    expect(r.body.detail.map((d: any) => d.loc)).toEqual([['query', 'subtype'], ['query', 'version']]);
    const g = await call('GET', '/object-creation/template?category=container&type=TUBE&subtype=generic&version=1.0');
    expect(g.status).toBe(400);
  });
});

describe('POST /object-creation/create', () => {
  it('creates from the four code parts; the name is the object name and properties.name', async () => {
    const r = await call('POST', '/object-creation/create', {
      category: 'content', type: 'sample', subtype: 'gdna', version: '1.0', name: 'gDNA via wizard', properties: { volume_ul: 20 },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      euid: expect.stringMatching(/^BCT-/), name: 'gDNA via wizard', category: 'content', type: 'sample', subtype: 'gdna',
      message: `Successfully created ${r.body.euid}`,
    });
    const o = ok(await t.gql(`query($e: ID!) { object(euid: $e) { name properties template { code } } }`, { e: r.body.euid })).object;
    expect(o).toEqual({ name: 'gDNA via wizard', properties: { volume_ul: 20, name: 'gDNA via wizard' }, template: { code: 'content/sample/gdna/1.0' } });
  });

  it('defaults the name to the EUID and applies template defaults', async () => {
    const r = await call('POST', '/object-creation/create', { category: 'container', type: 'tube', subtype: 'tube-generic-10ml', version: '1.0', name: '' });
    expect(r.status).toBe(200);
    expect(r.body.name).toBe(r.body.euid);
    const o = ok(await t.gql(`query($e: ID!) { object(euid: $e) { properties } }`, { e: r.body.euid })).object;
    expect(o.properties).toEqual({ capacity_ml: 10 });
  });

  it('keeps properties as given when the template schema refuses a name property', async () => {
    const closed = await call('POST', '/object-creation/create', { category: 'data', type: 'strict', subtype: 'closed', version: '1.0', name: 'closed one', properties: { note: 'n' } });
    expect(closed.status).toBe(200);
    expect(closed.body.name).toBe('closed one');
    const o = ok(await t.gql(`query($e: ID!) { object(euid: $e) { name properties } }`, { e: closed.body.euid })).object;
    expect(o).toEqual({ name: 'closed one', properties: { note: 'n' } });
    // A schema that declares `name` takes it.
    const named = await call('POST', '/object-creation/create', { category: 'data', type: 'strict', subtype: 'named', version: '1.0', name: 'named one' });
    const n = ok(await t.gql(`query($e: ID!) { object(euid: $e) { properties } }`, { e: named.body.euid })).object;
    expect(n.properties).toEqual({ name: 'named one' });
  });

  it('answers 404 "Template not found: c/t/s/v" for unknown, deleted or impossible codes', async () => {
    for (const [c, ty, s, v] of [['content', 'sample', 'nope', '1.0'], ['data', 'gone', 'generic', '1.0'], ['Content', 'sample', 'gdna', '1.0'], ['content', 'sample', 'gd/na', '1.0']]) {
      const r = await call('POST', '/object-creation/create', { category: c, type: ty, subtype: s, version: v });
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ detail: `Template not found: ${c}/${ty}/${s}/${v}` });
    }
  });

  it('answers 422 for missing parts and for properties the template refuses', async () => {
    const missing = await call('POST', '/object-creation/create', { category: 'content', type: 'sample' });
    expect(missing.status).toBe(422);
    expect(missing.body.detail.map((d: any) => d.loc)).toEqual([['body', 'subtype'], ['body', 'version']]);
    const bad = await call('POST', '/object-creation/create', { category: 'content', type: 'sample', subtype: 'gdna', version: '1.0', properties: { volume_ul: 'lots' } });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toEqual([{ loc: ['body', 'properties', 'volume_ul'], msg: 'Expected number', type: 'value_error' }]);
    const closed = await call('POST', '/object-creation/create', { category: 'data', type: 'strict', subtype: 'closed', version: '1.0', properties: { other: 1 } });
    expect(closed.status).toBe(422);
    const notObject = await call('POST', '/object-creation/create', { category: 'content', type: 'sample', subtype: 'gdna', version: '1.0', properties: [1] });
    expect(notObject.status).toBe(422);
  });

  it('needs write permission: 403 for READ_ONLY (a deliberate divergence from Bloom), 401 without a credential', async () => {
    const body = { category: 'content', type: 'sample', subtype: 'generic', version: '1.0' };
    const ro = await call('POST', '/object-creation/create', body, readOnly);
    expect(ro.status).toBe(403);
    expect(ro.body.detail).toMatch(/objects:write/);
    expect((await call('POST', '/object-creation/create', body, null)).status).toBe(401);
  });

  it('is idempotent with an Idempotency-Key', async () => {
    const body = { category: 'content', type: 'sample', subtype: 'generic', version: '1.0', name: 'idem wizard' };
    const key = { ...adminAuth, 'idempotency-key': `oc-${Date.now()}` };
    const a = await call('POST', '/object-creation/create', body, key);
    const b = await call('POST', '/object-creation/create', body, key);
    expect(b.status).toBe(200);
    expect(b.body.euid).toBe(a.body.euid);
    expect(b.headers.get('idempotency-replayed')).toBe('true');
  });

  it('writes the same kinds of rows, audit entries and events as its GraphQL twin (containers emit container.created)', async () => {
    for (const [code, props] of [['content/specimen/blood-whole/1.0', { volume_ul: 4000 }], ['container/plate/fixed-plate-96/1.0', {}]] as const) {
      const [category, type, subtype, version] = code.split('/');
      const rest = await call('POST', '/object-creation/create', { category, type, subtype, version, name: 'twin', properties: props });
      expect(rest.status).toBe(200);
      const gql = ok(await t.gql(`mutation($i: CreateObjectInput!) { createObject(input: $i) { id } }`, {
        i: { templateCode: code, name: 'twin', properties: { ...props, name: 'twin' } },
      })).createObject.id;
      const rows = await t.testDb.db.query<Record<string, unknown>>(
        `SELECT euid, category, type, subtype, template_id, status, name, properties, external_id, layout_rows, layout_columns
         FROM material_object WHERE euid = ANY($1::text[]) ORDER BY id`, [[rest.body.euid, gql]]);
      expect(rows).toHaveLength(2);
      const strip = ({ euid: _e, ...r }: Record<string, unknown>) => r;
      expect(strip(rows[0])).toEqual(strip(rows[1]));
      const [ra, ga] = [await auditFor(t, rest.body.euid), await auditFor(t, gql)];
      expect(ra.map((a) => a.operation)).toEqual(['createObject']);
      expect(ra.map((a) => a.operation)).toEqual(ga.map((a) => a.operation));
      const [re, ge] = [await outboxFor(t, rest.body.euid), await outboxFor(t, gql)];
      expect(re).toEqual(ge);
      expect(re).toContain('object.created');
      expect(re).toContain(category === 'container' ? 'container.created' : 'specimen.created');
    }
  });
});

describe('every response', () => {
  it('never contains "uuid"', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const b of bodies) expect(b).not.toMatch(/uuid/i);
  });
});
