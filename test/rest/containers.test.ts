// Bloom §1.3 /api/v1/containers over real HTTP: shapes, errors, placement, layout,
// bulk create from TSV, and REST writes matching their GraphQL twins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { GDNA, PLATE_96, TUBE, create } from '../helpers/fixtures.js';
import { createAccount, mintKey } from '../helpers/matrixAccounts.js';
import { auditFor, newKey, outboxFor } from '../helpers/idempotency.js';
import { formatEuid } from '../../src/domain/euid.js';
import { MAX_BULK_ROWS } from '../../src/services/containers/bulkCreateContainers.js';

let t: TestGateway;
let readOnly: string;
const tpl: Record<string, string> = {};
const bodies: string[] = [];

type Body = NonNullable<Parameters<typeof fetch>[1]>['body'];

interface Res {
  status: number;
  body: any;
  headers: Headers;
}

async function rest(method: string, path: string, opts: { json?: unknown; raw?: Body; type?: string; auth?: string | null; headers?: Record<string, string> } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.auth !== null) headers.authorization = opts.auth ?? `Bearer ${ADMIN_KEY}`;
  let body: Body | undefined = opts.raw;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.type) headers['content-type'] = opts.type;
  const res = await fetch(`${t.url}/api/v1${path}`, { method, headers, body });
  const text = await res.text();
  bodies.push(text);
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

const templateEuid = async (code: string) =>
  ok(await t.gql<{ template: { euid: string } }>(`query($r: ID!) { template(ref: $r) { euid } }`, { r: code })).template.euid;

async function newContainer(code = PLATE_96, name = 'plate'): Promise<string> {
  const r = await rest('POST', '/containers/', { json: { name, container_type: 'plate', template_euid: tpl[code] } });
  expect(r.status).toBe(200);
  return r.body.euid;
}

beforeAll(async () => {
  t = await startTestGateway();
  for (const code of [PLATE_96, TUBE, GDNA, 'container/plate/fixed-plate-384/1.0']) tpl[code] = await templateEuid(code);
  const account = await createAccount(t, 'READ_ONLY', undefined);
  readOnly = `Bearer ${(await mintKey(t, account.id)).token}`;
});
afterAll(async () => {
  await t?.close();
});

describe('POST /containers/', () => {
  it('creates a container from its template EUID and answers 200 with Bloom\'s envelope', async () => {
    const r = await rest('POST', '/containers/', { json: { name: 'Plate 1', container_type: 'plate', template_euid: tpl[PLATE_96], barcode: 'BC-1', json_addl: { properties: { note: 'x' } } } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ success: true, euid: expect.stringMatching(/^BCN-/), message: 'Container created successfully' });
    const got = await rest('GET', `/containers/${r.body.euid}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      euid: r.body.euid, name: 'Plate 1', container_type: 'plate', subtype: 'fixed-plate-96', status: 'active',
      json_addl: { properties: { note: 'x' } },
    });
    expect(await outboxFor(t, r.body.euid)).toEqual(['container.created', 'object.created']);
  });

  it('serves the collection without the trailing slash too, and uppercases a lower-case template EUID', async () => {
    const r = await rest('POST', '/containers', { json: { name: 'tube', container_type: 'tube', template_euid: tpl[TUBE].toLowerCase() } });
    expect(r.status).toBe(200);
    expect((await rest('GET', `/containers/${r.body.euid}`)).body.subtype).toBe('tube-generic-10ml');
  });

  it('needs template_euid (400), a valid EUID (422) and Bloom\'s required fields (422)', async () => {
    const none = await rest('POST', '/containers/', { json: { name: 'x', container_type: 'plate' } });
    expect(none.status).toBe(400);
    expect(none.body).toEqual({ detail: 'template_euid is required' });

    const bad = await rest('POST', '/containers/', { json: { name: 'x', container_type: 'plate', template_euid: 'BGT-123' } });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ loc: ['body', 'template_euid'], msg: expect.stringContaining('Invalid EUID format: BGT-123') });

    const badParent = await rest('POST', '/containers/', { json: { name: 'x', container_type: 'plate', template_euid: tpl[PLATE_96], parent_euid: 'nope' } });
    expect(badParent.status).toBe(422);
    expect(badParent.body.detail[0].loc).toEqual(['body', 'parent_euid']);

    const missing = await rest('POST', '/containers/', { json: { template_euid: tpl[PLATE_96] } });
    expect(missing.status).toBe(422);
    expect(missing.body.detail.map((d: any) => d.loc)).toEqual(expect.arrayContaining([['body', 'name'], ['body', 'container_type']]));
  });

  it('answers 404 for a well-formed template EUID that does not exist', async () => {
    const ghost = formatEuid('BGT', 987654);
    const r = await rest('POST', '/containers/', { json: { name: 'x', container_type: 'plate', template_euid: ghost } });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ detail: `Template not found: ${ghost}` });
  });

  it('replays a create sent again with the same Idempotency-Key', async () => {
    const key = newKey('cont');
    const body = { name: 'idem', container_type: 'tube', template_euid: tpl[TUBE] };
    const a = await rest('POST', '/containers/', { json: body, headers: { 'idempotency-key': key } });
    const b = await rest('POST', '/containers/', { json: body, headers: { 'idempotency-key': key } });
    expect(b.status).toBe(200);
    expect(b.body.euid).toBe(a.body.euid);
    expect(b.headers.get('idempotency-replayed')).toBe('true');
    expect(await auditFor(t, a.body.euid)).toHaveLength(1);
  });
});

describe('auth', () => {
  it('answers 401 with WWW-Authenticate without a credential', async () => {
    for (const [m, p] of [['GET', '/containers/'], ['POST', '/containers/'], ['GET', '/containers/BCN-16/layout']] as const) {
      const r = await rest(m, p, { auth: null, json: m === 'POST' ? {} : undefined });
      expect(r.status, `${m} ${p}`).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('lets READ_ONLY read but refuses every write with 403', async () => {
    const plate = await newContainer();
    const s = await create(t, { templateCode: GDNA });
    expect((await rest('GET', '/containers/', { auth: readOnly })).status).toBe(200);
    expect((await rest('GET', `/containers/${plate}?include_contents=true`, { auth: readOnly })).status).toBe(200);
    expect((await rest('GET', `/containers/${plate}/layout`, { auth: readOnly })).status).toBe(200);
    const writes: [string, string, unknown][] = [
      ['POST', '/containers/', { name: 'x', container_type: 'plate', template_euid: tpl[PLATE_96] }],
      ['PUT', `/containers/${plate}`, { name: 'y' }],
      ['DELETE', `/containers/${plate}`, undefined],
      ['POST', `/containers/${plate}/contents`, { container_euid: plate, object_euid: s, position: 'A1' }],
      ['DELETE', `/containers/${plate}/contents/${s}`, undefined],
      ['POST', '/containers/bulk-create', undefined],
    ];
    for (const [m, p, json] of writes) {
      const r = await rest(m, p, { auth: readOnly, json });
      expect(r.status, `${m} ${p}`).toBe(403);
      expect(r.body.detail).toMatch(/objects:write/);
    }
    expect((await rest('GET', `/containers/${plate}`)).body.name).toBe('plate');
  });
});

describe('GET /containers/', () => {
  it('lists live containers only, filtered by container_type/subtype/status, paged without `pages`', async () => {
    {
      const before = (await rest('GET', '/containers/?page_size=1000')).body.total as number;
      const a = await newContainer(PLATE_96, 'list-a');
      const b = await newContainer(PLATE_96, 'list-b');
      await newContainer(TUBE, 'list-tube');
      await create(t, { templateCode: GDNA }); // content is not listed
      await rest('PUT', `/containers/${b}`, { json: { status: 'listed_once' } });

      const all = await rest('GET', '/containers/?page_size=1000');
      expect(all.body.total).toBe(before + 3);
      expect(Object.keys(all.body).sort()).toEqual(['items', 'page', 'page_size', 'total']);
      expect(all.body.items[0]).toEqual({ euid: expect.any(String), name: expect.any(String), container_type: expect.any(String), subtype: expect.any(String), status: expect.any(String) });

      const plates = await rest('GET', '/containers?container_type=PLATE&subtype=fixed-plate-96&page_size=1000');
      expect(plates.body.items.map((i: any) => i.euid)).toEqual(expect.arrayContaining([a, b]));
      expect(plates.body.items.every((i: any) => i.container_type === 'plate')).toBe(true);

      const inUse = await rest('GET', '/containers/?status=listed_once');
      expect(inUse.body.items.map((i: any) => i.euid)).toEqual([b]);

      await rest('DELETE', `/containers/${a}`);
      expect((await rest('GET', '/containers/?page_size=1000')).body.total).toBe(before + 2);
    }
  });

  it('pages: page 2 of size 1, a page past the end, and 422 outside the bounds', async () => {
    const first = await rest('GET', '/containers/?page=1&page_size=1');
    const second = await rest('GET', '/containers/?page=2&page_size=1');
    expect(first.body).toMatchObject({ page: 1, page_size: 1 });
    expect(first.body.items).toHaveLength(1);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].euid).not.toBe(first.body.items[0].euid);
    const past = await rest('GET', `/containers/?page=${first.body.total + 1}&page_size=1`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ items: [], total: first.body.total, page: first.body.total + 1 });
    for (const q of ['page=0', 'page_size=0', 'page_size=1001', 'page=abc']) {
      const r = await rest('GET', `/containers/?${q}`);
      expect(r.status, q).toBe(422);
      expect(r.body.detail[0].loc[0]).toBe('query');
    }
  });
});

describe('GET /containers/{euid}', () => {
  it('answers 404 "Container not found: X" for unknown, unvalidated and soft-deleted EUIDs', async () => {
    for (const e of ['BCN-ZZZZ', 'NONEXISTENT_EUID']) {
      const r = await rest('GET', `/containers/${e}`);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ detail: `Container not found: ${e}` });
    }
    const c = await newContainer();
    await rest('DELETE', `/containers/${c}`);
    expect((await rest('GET', `/containers/${c}`)).status).toBe(404);
    expect((await rest('GET', `/containers/${c}/layout`)).status).toBe(404);
  });

  it('include_contents lists what the container holds with positions, and 422s on a non-boolean', async () => {
    const plate = await newContainer();
    const s = await create(t, { templateCode: GDNA, name: 'dna-1' });
    expect((await rest('POST', `/containers/${plate}/contents`, { json: { container_euid: plate, object_euid: s, position: 'b3' } })).status).toBe(200);
    const plain = await rest('GET', `/containers/${plate}?include_contents=false`);
    expect(plain.body.contents).toBeUndefined();
    const full = await rest('GET', `/containers/${plate}?include_contents=true`);
    expect(full.body.contents).toEqual([{ euid: s, name: 'dna-1', type: 'sample', position: 'B3' }]);
    expect((await rest('GET', `/containers/${plate}?include_contents=maybe`)).status).toBe(422);
    // deleted content leaves the container
    await rest('DELETE', `/content/${s}`);
    expect((await rest('GET', `/containers/${plate}?include_contents=1`)).body.contents).toEqual([]);
  });
});

describe('PUT /containers/{euid}', () => {
  it('updates name, barcode, status and json_addl, and merges metadata into properties.metadata', async () => {
    const c = await newContainer();
    expect((await rest('PUT', `/containers/${c}`, { json: { name: 'renamed', barcode: 'BC-9', status: 'in_use', json_addl: { properties: { a: 1 } } } })).body)
      .toEqual({ success: true, euid: c, message: 'Container updated successfully' });
    await rest('PUT', `/containers/${c}`, { json: { metadata: { owner: 'ana' } } });
    await rest('PUT', `/containers/${c}`, { json: { metadata: { room: '2.01' } } });
    const got = await rest('GET', `/containers/${c}`);
    expect(got.body).toMatchObject({ name: 'renamed', status: 'in_use', json_addl: { properties: { a: 1, metadata: { owner: 'ana', room: '2.01' } } } });
    const [row] = await t.testDb.db.query<{ barcode: string }>(`SELECT barcode FROM material_object WHERE euid = $1`, [c]);
    expect(row.barcode).toBe('BC-9');
    expect(await outboxFor(t, c)).toEqual(['container.created', 'object.created', 'object.updated', 'object.updated', 'object.updated']);
  });

  it('treats {} as a no-op, and answers 404 / 422 for unknown containers and bad values', async () => {
    const c = await newContainer();
    const noop = await rest('PUT', `/containers/${c}`, { json: {} });
    expect(noop.status).toBe(200);
    expect(await auditFor(t, c)).toHaveLength(1); // the create only
    for (const json of [{}, { name: 'x' }]) {
      const r = await rest('PUT', '/containers/BCN-ZZZZ', { json });
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ detail: 'Container not found: BCN-ZZZZ' });
    }
    expect((await rest('PUT', `/containers/${c}`, { json: { status: 'Not A Status!' } })).status).toBe(422);
    expect((await rest('PUT', `/containers/${c}`, { json: { name: '' } })).status).toBe(422);
  });
});

describe('DELETE /containers/{euid}', () => {
  it('soft deletes by default and hard deletes on request', async () => {
    const a = await newContainer();
    expect((await rest('DELETE', `/containers/${a}`)).body).toEqual({ success: true, euid: a, message: 'Container soft deleted' });
    expect((await rest('DELETE', `/containers/${a}`)).status).toBe(404);
    const b = await newContainer();
    expect((await rest('DELETE', `/containers/${b}?hard_delete=true`)).body).toEqual({ success: true, euid: b, message: 'Container permanently deleted' });
    const [n] = await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM material_object WHERE euid = $1`, [b]);
    expect(Number(n.n)).toBe(0);
    const r = await rest('DELETE', '/containers/BCN-ZZZZ');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ detail: 'Container not found: BCN-ZZZZ' });
  });
});

describe('contents and layout', () => {
  it('places into a well, shows it in the layout, and removes it again', async () => {
    const plate = await newContainer();
    const s = await create(t, { templateCode: GDNA, name: 'in-well' });
    const put = await rest('POST', `/containers/${plate}/contents`, { json: { container_euid: plate, object_euid: s.toLowerCase(), position: 'H12' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ success: true, message: 'Content added to container' });

    const layout = await rest('GET', `/containers/${plate}/layout`);
    expect(layout.body.container_euid).toBe(plate);
    expect(layout.body.container_type).toBe('plate');
    expect(layout.body.well_count).toBe(96);
    expect(Object.keys(layout.body.layout).slice(0, 3)).toEqual(['A1', 'A2', 'A3']);
    expect(layout.body.layout.H12).toEqual({ euid: null, name: 'H12', status: 'active', contents: [{ euid: s, name: 'in-well', type: 'sample' }] });
    expect(layout.body.layout.A1.contents).toEqual([]);

    const out = await rest('DELETE', `/containers/${plate}/contents/${s}`);
    expect(out.body).toEqual({ success: true, message: 'Content removed from container' });
    const again = await rest('DELETE', `/containers/${plate}/contents/${s}`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ detail: `Content ${s} not found in container` });
    expect((await rest('GET', `/containers/${plate}/layout`)).body.layout.H12.contents).toEqual([]);
  });

  it('refuses occupied wells and double placement (409), wells outside the layout and bad EUIDs (422), unknown objects (404)', async () => {
    const plate = await newContainer();
    const a = await create(t, { templateCode: GDNA });
    const b = await create(t, { templateCode: GDNA });
    const place = (content: string, position?: string, container = plate) =>
      rest('POST', `/containers/${container}/contents`, { json: { container_euid: container, object_euid: content, ...(position ? { position } : {}) } });
    expect((await place(a, 'A1')).status).toBe(200);
    const occupied = await place(b, 'A1');
    expect(occupied.status).toBe(409);
    expect(occupied.body.detail).toMatch(/occupied/);
    expect((await place(a, 'A2')).status).toBe(409);
    for (const pos of ['I1', 'A13', 'Z9']) expect((await place(b, pos)).status, pos).toBe(422);
    expect((await place(b)).status).toBe(422); // a plate needs a well
    const badEuid = await rest('POST', `/containers/${plate}/contents`, { json: { container_euid: plate, object_euid: 'BCT-123', position: 'A3' } });
    expect(badEuid.status).toBe(422);
    expect(badEuid.body.detail[0].loc).toEqual(['body', 'object_euid']);
    const missing = await rest('POST', `/containers/${plate}/contents`, { json: { object_euid: b, position: 'A3' } });
    expect(missing.status).toBe(422);
    const ghostContent = formatEuid('BCT', 999999);
    const noContent = await place(ghostContent, 'A3');
    expect(noContent.status).toBe(404);
    expect(noContent.body).toEqual({ detail: `Content not found: ${ghostContent}` });
    const ghostContainer = formatEuid('BCN', 999999);
    const noContainer = await place(b, 'A3', ghostContainer);
    expect(noContainer.status).toBe(404);
    expect(noContainer.body).toEqual({ detail: `Container not found: ${ghostContainer}` });
    const removeMissing = await rest('DELETE', `/containers/BCN-ZZZZ/contents/${a}`);
    expect(removeMissing.status).toBe(404);
    expect(removeMissing.body).toEqual({ detail: 'Container not found: BCN-ZZZZ' });
  });

  it('takes content into a tube without a position; a tube has an empty layout', async () => {
    const tube = await newContainer(TUBE, 'tube');
    const s = await create(t, { templateCode: GDNA });
    expect((await rest('POST', `/containers/${tube}/contents`, { json: { container_euid: tube, object_euid: s } })).status).toBe(200);
    const s2 = await create(t, { templateCode: GDNA });
    expect((await rest('POST', `/containers/${tube}/contents`, { json: { container_euid: tube, object_euid: s2, position: 'A1' } })).status).toBe(422);
    expect((await rest('GET', `/containers/${tube}?include_contents=true`)).body.contents).toEqual([{ euid: s, name: expect.any(String), type: 'sample', position: null }]);
    expect((await rest('GET', `/containers/${tube}/layout`)).body).toEqual({ container_euid: tube, container_type: 'tube', layout: {}, well_count: 0 });
  });
});

describe('POST /containers/bulk-create', () => {
  const header = 'container_template_euid\tcontainer_type\tcontainer_name\tcontent_template_euid\tcontent_type\tcontent_name\tcontent_properties\tposition';

  it('creates one container per TSV row (multipart `file`), with content placed in it, and reports bad rows', async () => {
    const tsv = [
      header,
      `${tpl[PLATE_96]}\t\tbulk-plate\t\t\t\t\t`,
      `\ttube:tube-generic-10ml:1.0\tbulk-tube\t\tsample:gdna\tbulk-dna\t{"volume_ul": 5}\t`,
      `\tplate:fixed-plate-96\tbulk-plate-2\t${tpl[GDNA]}\t\tin-a1\t\tA1`,
      `\tnotatype\t\t\t\t\t\t`,
      '',
      `\ttube:no-such-tube\t\t\t\t\t\t`,
      `\tplate:fixed-plate-96\tneeds-a-well\t\tsample:gdna\t\t\t`,
      `\t\t\t\t\t\t\t`,
      `\ttube:generic\t\t\tsample:gdna\t\t{not json\t`,
    ].join('\n');
    const form = new FormData();
    form.append('note', 'ignored');
    form.append('file', new Blob([tsv], { type: 'text/tab-separated-values' }), 'containers.tsv');
    const before = await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM material_object`);
    const r = await rest('POST', '/containers/bulk-create', { raw: form });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, total_rows: 8, created_count: 3, error_count: 5 });
    expect(r.body.created.map((c: any) => c.row)).toEqual([2, 3, 4]);
    expect(r.body.created[0]).toEqual({ row: 2, container_euid: expect.stringMatching(/^BCN-/), content_euid: null });
    expect(r.body.errors).toEqual([
      { row: 5, error: 'Invalid container_type format: notatype' },
      { row: 6, error: 'Template not found: container/tube/no-such-tube/1.0' },
      { row: 7, error: expect.stringContaining('position') },
      { row: 8, error: 'container_template_euid or container_type required' },
      { row: 9, error: expect.stringContaining('Invalid JSON in content_properties') },
    ]);
    // a failed row leaves nothing behind: 3 containers + 2 contents
    const after = await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM material_object`);
    expect(Number(after[0].n) - Number(before[0].n)).toBe(5);

    const tube = r.body.created[1];
    const got = await rest('GET', `/containers/${tube.container_euid}?include_contents=true`);
    expect(got.body).toMatchObject({ name: 'bulk-tube', contents: [{ euid: tube.content_euid, name: 'bulk-dna', position: null }] });
    expect((await rest('GET', `/content/${tube.content_euid}`)).body.json_addl.properties).toMatchObject({ volume_ul: 5 });
    const plate = r.body.created[2];
    expect((await rest('GET', `/containers/${plate.container_euid}/layout`)).body.layout.A1.contents[0].euid).toBe(plate.content_euid);
    expect((await auditFor(t, plate.container_euid)).map((a) => a.operation)).toEqual(['placeInContainer', 'createObject']); // newest first
  });

  it('accepts the TSV as a raw text/tab-separated-values body', async () => {
    const r = await rest('POST', '/containers/bulk-create', { raw: `${header}\n\ttube:generic\traw-tube\t\t\t\t\t\n`, type: 'text/tab-separated-values' });
    expect(r.body).toMatchObject({ success: true, total_rows: 1, created_count: 1, error_count: 0, errors: [] });
  });

  it('replays a retried upload with the same Idempotency-Key, whatever the multipart boundary', async () => {
    const key = newKey('bulk');
    const upload = () => {
      const form = new FormData();
      form.append('file', new Blob([`${header}\n\ttube:generic\tidem-tube\t\t\t\t\t\n`]), 'c.tsv');
      return rest('POST', '/containers/bulk-create', { raw: form, headers: { 'idempotency-key': key } });
    };
    const a = await upload();
    const b = await upload();
    expect(b.status).toBe(200);
    expect(b.headers.get('idempotency-replayed')).toBe('true');
    expect(b.body).toEqual(a.body);
    const [n] = await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM material_object WHERE name = 'idem-tube'`);
    expect(Number(n.n)).toBe(1);
  });

  it('refuses more than MAX_BULK_ROWS rows in one upload (422), creating nothing', async () => {
    const lines = [header, ...Array.from({ length: MAX_BULK_ROWS + 1 }, () => '\ttube:generic\ttoo-many\t\t\t\t\t')];
    const r = await rest('POST', '/containers/bulk-create', { raw: lines.join('\n'), type: 'text/plain' });
    expect(r.status).toBe(422);
    expect(r.body.detail[0]).toMatchObject({ loc: ['body', 'rows'], msg: `at most ${MAX_BULK_ROWS} rows` });
    const [n] = await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM material_object WHERE name = 'too-many'`);
    expect(Number(n.n)).toBe(0);
  });

  it('answers 422 when there is no file', async () => {
    const form = new FormData();
    form.append('other', new Blob(['x']), 'x.tsv');
    for (const opts of [{ raw: form }, { json: { file: 'a\tb' } }, {}]) {
      const r = await rest('POST', '/containers/bulk-create', opts);
      expect(r.status).toBe(422);
      expect(r.body.detail).toEqual([{ loc: ['body', 'file'], msg: 'Field required', type: 'missing' }]);
    }
  });
});

describe('REST writes and their GraphQL twins', () => {
  const rowsOf = (euid: string) =>
    t.testDb.db.query(`SELECT o.category, o.type, o.subtype, o.status, o.barcode, o.properties, o.layout_rows, o.layout_columns, t.euid AS template
                       FROM material_object o JOIN template t ON t.id = o.template_id WHERE o.euid = $1`, [euid]);
  const ops = async (euid: string) => (await auditFor(t, euid)).map((a) => a.operation).reverse(); // oldest first

  it('POST /containers/ writes what createObject writes', async () => {
    const viaRest = (await rest('POST', '/containers/', { json: { name: 'twin', container_type: 'plate', template_euid: tpl[PLATE_96], barcode: 'T-1' } })).body.euid;
    const viaGql = await create(t, { templateEuid: tpl[PLATE_96], name: 'twin', barcode: 'T-1' });
    expect(await rowsOf(viaRest)).toEqual(await rowsOf(viaGql));
    expect(await ops(viaRest)).toEqual(await ops(viaGql));
    expect(await outboxFor(t, viaRest)).toEqual(await outboxFor(t, viaGql));
  });

  it('POST/DELETE /containers/{c}/contents write what placeInContainer/removeFromContainer write', async () => {
    const [p1, p2] = [await newContainer(), await newContainer()];
    const [s1, s2] = [await create(t, { templateCode: GDNA }), await create(t, { templateCode: GDNA })];
    await rest('POST', `/containers/${p1}/contents`, { json: { container_euid: p1, object_euid: s1, position: 'C4' } });
    ok(await t.gql(`mutation($i: PlaceInput!) { placeInContainer(input: $i) { position } }`, { i: { containerEuid: p2, contentEuid: s2, position: 'C4' } }));
    const placements = (c: string) => t.testDb.db.query(`SELECT p.position FROM placement p JOIN material_object o ON o.id = p.container_id WHERE o.euid = $1`, [c]);
    expect(await placements(p1)).toEqual(await placements(p2));
    await rest('DELETE', `/containers/${p1}/contents/${s1}`);
    ok(await t.gql(`mutation($i: RemoveFromContainerInput!) { removeFromContainer(input: $i) { deleted } }`, { i: { containerEuid: p2, contentEuid: s2 } }));
    expect(await placements(p1)).toEqual([]);
    expect(await ops(p1)).toEqual(await ops(p2));
    expect(await ops(p1)).toEqual(['createObject', 'placeInContainer', 'removeFromContainer']);
    expect(await outboxFor(t, p1)).toEqual(await outboxFor(t, p2));
  });
});

describe('payloads', () => {
  it('never contain "uuid"', () => {
    expect(bodies.length).toBeGreaterThan(50);
    for (const b of bodies) expect(b).not.toMatch(/uuid/i);
  });
});
