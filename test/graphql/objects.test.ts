import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { BLOOD, GDNA, PLATE_96, TUBE, create } from '../helpers/fixtures.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t?.close();
});

describe('createObject', () => {
  it('creates a plate from a template with its layout and an EUID', async () => {
    const r = ok(await t.gql(`mutation { createObject(input: { templateCode: "${PLATE_96}", name: "Plate 1", externalId: "lims-plate-1", barcode: "BC-0001" }) {
      id euid kind category type subtype status name externalId deleted
      ... on Container { barcode layout { rows columns wellCount } }
      template { code euid }
    } }`));
    const o = r.createObject;
    expect(o.id).toMatch(/^BCN-[0-9A-Z]+$/);
    expect(o.euid).toBe(o.id);
    expect(o).toMatchObject({
      kind: 'CONTAINER', category: 'container', type: 'plate', subtype: 'fixed-plate-96', status: 'active',
      name: 'Plate 1', externalId: 'lims-plate-1', deleted: false, barcode: 'BC-0001',
      layout: { rows: 8, columns: 12, wellCount: 96 }, template: { code: PLATE_96 },
    });
    expect(o.template.euid).toMatch(/^BGT-/);
  });

  it('creates content with template properties and defaults the name to the EUID', async () => {
    const r = ok(await t.gql(`mutation { createObject(input: { templateCode: "${GDNA}", properties: { volume_ul: 50, concentration_ng_ul: 12.5, note: "extra keys allowed" } }) {
      id name kind properties } }`));
    expect(r.createObject.id).toMatch(/^BCT-/);
    expect(r.createObject.name).toBe(r.createObject.id);
    expect(r.createObject.properties).toEqual({ volume_ul: 50, concentration_ng_ul: 12.5, note: 'extra keys allowed' });
  });

  it('refuses properties of the wrong type with BAD_USER_INPUT and the field path', async () => {
    const r = await t.gql(`mutation { createObject(input: { templateCode: "${GDNA}", properties: { volume_ul: "lots" } }) { id } }`);
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].extensions?.issues).toEqual([{ path: ['properties', 'volume_ul'], message: 'Expected number' }]);
  });

  it('refuses a negative volume', async () => {
    const r = await t.gql(`mutation { createObject(input: { templateCode: "${GDNA}", properties: { volume_ul: -1 } }) { id } }`);
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['an unknown template', `{ templateCode: "content/sample/nope/1.0" }`, 'NOT_FOUND'],
    ['a malformed template code', `{ templateCode: "../../etc/passwd" }`, 'BAD_USER_INPUT'],
    ['no template at all', `{ name: "x" }`, 'BAD_USER_INPUT'],
    ['both template forms', `{ templateCode: "${GDNA}", templateEuid: "BGT-1R" }`, 'BAD_USER_INPUT'],
    ['an empty name', `{ templateCode: "${GDNA}", name: "  " }`, 'BAD_USER_INPUT'],
    ['a too-long external id', `{ templateCode: "${GDNA}", externalId: "${'x'.repeat(256)}" }`, 'BAD_USER_INPUT'],
    ['a layout on content', `{ templateCode: "${GDNA}", layout: { rows: 2, columns: 2 } }`, 'BAD_USER_INPUT'],
    ['a bad status', `{ templateCode: "${GDNA}", status: "DROP TABLE" }`, 'BAD_USER_INPUT'],
  ])('refuses %s', async (_label, input, code) => {
    const r = await t.gql(`mutation { createObject(input: ${input}) { id } }`);
    expect(r.errors?.[0].extensions?.code).toBe(code);
    expect(r.status).toBeLessThan(500);
  });

  it('refuses a duplicate external_id within a kind with CONFLICT, allows it across kinds and after delete', async () => {
    await create(t, { templateCode: TUBE, externalId: 'dup-1' });
    const dup = await t.gql(`mutation { createObject(input: { templateCode: "${TUBE}", externalId: "dup-1" }) { id } }`);
    expect(dup.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', detail: 'external_id_already_exists' });
    const otherKind = await create(t, { templateCode: BLOOD, externalId: 'dup-1' });
    expect(otherKind).toMatch(/^BCT-/);

    const tube = ok(await t.gql(`{ objectByExternalId(kind: CONTAINER, externalId: "dup-1") { id } }`)).objectByExternalId.id;
    ok(await t.gql(`mutation { deleteObject(euid: "${tube}") { deleted } }`));
    expect(await create(t, { templateCode: TUBE, externalId: 'dup-1' })).not.toBe(tube);
  });
});

describe('reading objects', () => {
  it('reads by EUID and by external id; unknown ids are null', async () => {
    const id = await create(t, { templateCode: BLOOD, externalId: 'spec-42', references: [{ type: 'patient_id', value: 'P-9' }] });
    const r = ok(await t.gql(`{
      a: object(euid: "${id}") { id externalId references { provider type value } }
      b: objectByExternalId(kind: CONTENT, externalId: "spec-42") { id }
      c: object(euid: "BCT-ZZZZ") { id }
      d: objectByExternalId(kind: CONTAINER, externalId: "spec-42") { id }
      e: node(id: "${id}") { id ... on Content { name } }
    }`));
    expect(r.a).toEqual({ id, externalId: 'spec-42', references: [{ provider: 'external', type: 'patient_id', value: 'P-9' }] });
    expect(r.b.id).toBe(id);
    expect(r.c).toBeNull();
    expect(r.d).toBeNull();
    expect(r.e.id).toBe(id);
  });

  it('lists with filters and Relay cursors, page by page without gaps or repeats', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push(await create(t, { templateCode: GDNA, name: `page-sample-${i}`, status: i % 2 ? 'on_hold' : 'active' }));
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r: any = ok(await t.gql(`query($after: String) { objects(first: 3, after: $after, filter: { nameContains: "PAGE-SAMPLE" }) {
        totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`, { after }));
      seen.push(...r.objects.edges.map((e: any) => e.node.id));
      expect(r.objects.totalCount).toBe(7);
      pages++;
      if (!r.objects.pageInfo.hasNextPage) break;
      after = r.objects.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(made);

    const held = ok(await t.gql(`{ objects(filter: { status: "on_hold", type: "sample", kind: CONTENT, nameContains: "page-sample" }) { nodes { id } } }`));
    expect(held.objects.nodes.map((n: any) => n.id)).toEqual([made[1], made[3], made[5]]);
    const byTemplate = ok(await t.gql(`{ objects(first: 500, filter: { templateCode: "${GDNA}" }) { totalCount } }`));
    expect(byTemplate.objects.totalCount).toBeGreaterThanOrEqual(7);
  });

  it('finds specimens by an external reference', async () => {
    const id = await create(t, { templateCode: BLOOD, references: [{ type: 'kit_barcode', value: 'KIT-777' }] });
    const r = ok(await t.gql(`{ objects(filter: { reference: { type: "kit_barcode", value: "KIT-777" } }) { nodes { id } } }`));
    expect(r.objects.nodes).toEqual([{ id }]);
  });

  it('audits a change of references as old → new', async () => {
    const id = await create(t, { templateCode: BLOOD, references: [{ type: 'kit_barcode', value: 'KIT-1' }] });
    ok(await t.gql(`mutation($id: ID!) { updateObject(euid: $id, input: { references: [{ type: "kit_barcode", value: "KIT-2" }] }) { id } }`, { id }));
    const log = ok(await t.gql(`{ auditLog(filter: { entityEuid: "${id}", operation: "updateObject" }) { nodes { changes } } }`));
    expect(log.auditLog.nodes[0].changes).toEqual({ references: { old: ['external:kit_barcode=KIT-1'], new: ['external:kit_barcode=KIT-2'] } });
  });

  it('rejects a forged cursor and an oversized page', async () => {
    const bad = await t.gql(`{ objects(after: "not-a-cursor") { nodes { id } } }`);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const big = await t.gql(`{ objects(first: 100000) { nodes { id } } }`);
    expect(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX']).toContain(big.errors?.[0].extensions?.code);
  });

  it('never exposes an internal id: ids, cursors and payloads carry EUIDs only', async () => {
    const id = await create(t, { templateCode: GDNA });
    const r = await t.gql(`{ objects(first: 5) { edges { cursor node { id euid } } } object(euid: "${id}") { id template { id euid } } }`);
    for (const e of (r.data as any).objects.edges) {
      expect(Buffer.from(e.cursor, 'base64url').toString()).toMatch(/^v1:[A-Z]{2,3}-[0-9A-Z]+$/);
      expect(e.node.id).toMatch(/^[A-Z]{2,3}-/);
    }
    expect(JSON.stringify(r)).not.toMatch(/"id":\s*\d/);
  });
});

describe('updateObject and deleteObject', () => {
  it('updates name/status and merges properties (null removes a key)', async () => {
    const id = await create(t, { templateCode: GDNA, properties: { volume_ul: 10, note: 'a' } });
    const r = ok(await t.gql(`mutation { updateObject(euid: "${id}", input: { name: "renamed", status: "consumed", properties: { volume_ul: 5, note: null, lane: 3 } }) {
      name status properties } }`));
    expect(r.updateObject).toEqual({ name: 'renamed', status: 'consumed', properties: { volume_ul: 5, lane: 3 } });
  });

  it('refuses invalid updates and unknown objects', async () => {
    const id = await create(t, { templateCode: GDNA });
    const bad = await t.gql(`mutation { updateObject(euid: "${id}", input: { properties: { volume_ul: "many" } }) { id } }`);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await t.gql(`mutation { updateObject(euid: "BCT-ZZZZ", input: { name: "x" }) { id } }`);
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('soft delete hides the object; a second delete is NOT_FOUND; hard delete removes it', async () => {
    const id = await create(t, { templateCode: GDNA });
    expect(ok(await t.gql(`mutation { deleteObject(euid: "${id}") { euid deleted hard } }`)).deleteObject).toEqual({ euid: id, deleted: true, hard: false });
    expect(ok(await t.gql(`{ object(euid: "${id}") { id } }`)).object).toBeNull();
    const listed = ok(await t.gql(`{ objects(first: 500, filter: { includeDeleted: true, type: "sample" }) { nodes { id deleted } } }`));
    expect(listed.objects.nodes).toContainEqual({ id, deleted: true });
    const again = await t.gql(`mutation { deleteObject(euid: "${id}") { euid } }`);
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const other = await create(t, { templateCode: GDNA });
    // hard delete is an ADMIN privilege (objects:admin); a READ_WRITE key may only soft-delete
    const writer = await mintKey(t, { role: 'READ_WRITE' });
    const refused = await t.gql(`mutation { deleteObject(euid: "${other}", hard: true) { hard } }`, {}, bearer(writer.token));
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(refused.errors?.[0].message).toBe('Admin privileges required for hard delete');
    expect(ok(await t.gql(`mutation { deleteObject(euid: "${other}", hard: true) { hard } }`)).deleteObject.hard).toBe(true);
    const gone = ok(await t.gql(`{ objects(first: 500, filter: { includeDeleted: true }) { nodes { id } } }`));
    expect(gone.objects.nodes.map((n: any) => n.id)).not.toContain(other);
  });
});

describe('templates', () => {
  it('ships the standard seed set', async () => {
    const r = ok(await t.gql(`{ templates { code instancePrefix layout { rows columns } } }`));
    const codes = r.templates.map((x: any) => x.code);
    for (const code of [TUBE, PLATE_96, 'container/plate/fixed-plate-384/1.0', BLOOD, 'content/specimen/blood-plasma/1.0', GDNA, 'content/reagent/generic/1.0', 'subject/patient/generic/1.0']) {
      expect(codes).toContain(code);
    }
    const p384 = r.templates.find((x: any) => x.code === 'container/plate/fixed-plate-384/1.0');
    expect(p384.layout).toEqual({ rows: 16, columns: 24 });
    const byCode = ok(await t.gql(`{ template(ref: "${GDNA}") { euid propertySchema } }`));
    const byEuid = ok(await t.gql(`{ template(ref: "${byCode.template.euid}") { code } }`));
    expect(byEuid.template.code).toBe(GDNA);
  });

  it('answers null for an unknown or malformed ref, and filters templates by category', async () => {
    const r = ok(await t.gql(`{ a: template(ref: "content/sample") { euid } b: template(ref: "content/sample/nope/1.0") { euid } c: template(ref: "BGT-ZZZZ") { euid } }`));
    expect(r).toEqual({ a: null, b: null, c: null });
    const subjects = ok(await t.gql(`{ templates(category: "subject") { category } }`)).templates;
    expect(subjects.length).toBeGreaterThan(0);
    expect(new Set(subjects.map((x: { category: string }) => x.category))).toEqual(new Set(['subject']));
  });

  it('creates from a template EUID as well as from its code', async () => {
    const tpl = ok(await t.gql(`{ template(ref: "${TUBE}") { euid } }`)).template.euid;
    const id = await create(t, { templateEuid: tpl });
    expect(id).toMatch(/^BCN-/);
  });
});
