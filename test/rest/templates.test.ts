// Bloom §1.7 /api/v1/templates over real HTTP: list with filters and paging, get,
// by-category, the required (ignored) domain_code, auth, no "uuid".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { seedTemplates } from '../../src/services/templates/seedTemplates.js';
import { STANDARD_TEMPLATES } from '../../src/services/templates/standardTemplates.js';

let t: TestGateway;
let readOnly: Record<string, string>;
const bodies: string[] = [];

async function get(path: string, auth: Record<string, string> | null = adminAuth): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${t.url}/api/v1${path}`, { headers: { ...(auth ?? {}) } });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: JSON.parse(text), headers: res.headers };
}

const D = 'domain_code=Z';

beforeAll(async () => {
  t = await startTestGateway();
  await seedTemplates(t.testDb.db, [
    { category: 'data', type: 'gone', subtype: 'generic', version: '1.0', name: 'Gone', description: null as never, prefix: 'BDT', schema: {}, defaults: {} },
    { category: 'data', type: 'hidden', subtype: 'generic', version: '1.0', name: 'Hidden', description: 'h', prefix: 'BDT', schema: {}, defaults: {} },
  ]);
  await t.testDb.db.query(`UPDATE template SET deleted_at = now() WHERE type = 'gone'`);
  await t.testDb.db.query(`UPDATE template SET hidden = true WHERE type = 'hidden'`);
  readOnly = bearer((await mintKey(t, { role: 'READ_ONLY' })).token);
});
afterAll(async () => {
  await t?.close();
});

describe('GET /templates/', () => {
  it('lists live templates in code order with Bloom item fields, on both spellings of the path', async () => {
    const r = await get(`/templates/?${D}`);
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(STANDARD_TEMPLATES.length + 1); // + hidden, not the deleted one
    expect(r.body.page).toBe(1);
    expect(r.body.page_size).toBe(50);
    expect(r.body.items[0]).toEqual({
      euid: expect.stringMatching(/^BGT-/), name: 'Storage box', category: 'container', type: 'box', subtype: 'generic',
      polymorphic_discriminator: 'container_template',
    });
    expect(r.body.items.map((i: any) => i.type)).not.toContain('gone');
    const noSlash = await get(`/templates?${D}`);
    expect(noSlash.body).toEqual(r.body);
  });

  it('filters by category, type and subtype (case-insensitively)', async () => {
    const r = await get(`/templates/?${D}&category=CONTAINER&type=plate`);
    expect(r.body.items.map((i: any) => i.subtype)).toEqual(['fixed-plate-384', 'fixed-plate-96']);
    expect(r.body.total).toBe(2);
    const s = await get(`/templates/?${D}&category=content&subtype=generic`);
    expect(s.body.items.map((i: any) => i.type)).toEqual(['reagent', 'sample', 'specimen']);
    const none = await get(`/templates/?${D}&category=nope`);
    expect(none.body).toEqual({ items: [], total: 0, page: 1, page_size: 50 });
  });

  it('pages with page/page_size, past the end empty; out-of-range paging is 422', async () => {
    const all = (await get(`/templates/?${D}&page_size=1000`)).body.items.map((i: any) => i.euid);
    const p1 = await get(`/templates/?${D}&page=1&page_size=5`);
    const p2 = await get(`/templates/?${D}&page=2&page_size=5`);
    expect(p1.body.items.map((i: any) => i.euid)).toEqual(all.slice(0, 5));
    expect(p2.body.items.map((i: any) => i.euid)).toEqual(all.slice(5, 10));
    expect(p2.body).toMatchObject({ page: 2, page_size: 5, total: all.length });
    const last = Math.ceil(all.length / 5);
    expect((await get(`/templates/?${D}&page=${last}&page_size=5`)).body.items).toHaveLength(all.length - (last - 1) * 5);
    expect((await get(`/templates/?${D}&page=${last + 1}&page_size=5`)).body.items).toEqual([]);
    for (const q of ['page=0', 'page_size=0', 'page_size=1001', 'page=x']) {
      const r = await get(`/templates/?${D}&${q}`);
      expect(r.status, q).toBe(422);
      expect(r.body.detail[0].loc[0]).toBe('query');
    }
  });

  it('needs domain_code: 422 when missing, any value accepted', async () => {
    const r = await get('/templates/');
    expect(r.status).toBe(422);
    expect(r.body.detail).toEqual([expect.objectContaining({ loc: ['query', 'domain_code'], msg: 'Field required' })]);
    expect((await get('/templates/?domain_code=anything')).status).toBe(200);
  });

  it('answers 401 without a credential and serves READ_ONLY', async () => {
    const r = await get(`/templates/?${D}`, null);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await get(`/templates/?${D}`, readOnly)).status).toBe(200);
  });
});

describe('GET /templates/{euid}', () => {
  it('returns the item fields plus json_addl, matching GraphQL template', async () => {
    const tpl = ok(await t.gql(`{ template(ref: "content/sample/gdna/1.0") { euid name propertySchema } }`)).template;
    const r = await get(`/templates/${tpl.euid}?${D}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      euid: tpl.euid, name: tpl.name, category: 'content', type: 'sample', subtype: 'gdna', polymorphic_discriminator: 'content_template',
      json_addl: {
        properties: { volume_ul: null, concentration_ng_ul: null, mass_ng: null },
        description: 'Extracted genomic DNA.',
        instance_prefix: 'BCT',
        property_schema: tpl.propertySchema,
      },
    });
  });

  it('answers 404 "Template not found: X" for unknown and deleted templates (Bloom serves deleted ones: quirk not kept)', async () => {
    const nf = await get(`/templates/BGT-NOPE?${D}`);
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({ detail: 'Template not found: BGT-NOPE' });
    const [gone] = await t.testDb.db.query<{ euid: string }>(`SELECT euid FROM template WHERE type = 'gone'`);
    expect((await get(`/templates/${gone.euid}?${D}`)).body).toEqual({ detail: `Template not found: ${gone.euid}` });
  });

  it('needs domain_code (422 before the lookup)', async () => {
    const r = await get('/templates/BGT-NOPE');
    expect(r.status).toBe(422);
  });
});

describe('GET /templates/by-category/{category}', () => {
  it('lists a category (lowercased) with a count', async () => {
    const r = await get(`/templates/by-category/Subject?${D}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      category: 'Subject',
      templates: [
        { euid: expect.stringMatching(/^BGT-/), name: 'Generic subject', type: 'generic', subtype: 'generic' },
        { euid: expect.stringMatching(/^BGT-/), name: 'Patient', type: 'patient', subtype: 'generic' },
      ],
      count: 2,
    });
  });

  it('answers 200 with count 0 for an unknown category, 422 without domain_code', async () => {
    expect((await get(`/templates/by-category/nope?${D}`)).body).toEqual({ category: 'nope', templates: [], count: 0 });
    expect((await get('/templates/by-category/nope')).status).toBe(422);
  });
});

describe('every response', () => {
  it('never contains "uuid"', () => {
    expect(bodies.length).toBeGreaterThan(15);
    for (const b of bodies) expect(b).not.toMatch(/uuid/i);
  });
});
