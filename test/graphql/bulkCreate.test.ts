// createObjects: many objects in one call, each exactly as createObject would make it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { GDNA, PLATE_96, TUBE, BLOOD } from '../helpers/fixtures.js';
import { newKey, send } from '../helpers/idempotency.js';
import { MAX_CREATE_OBJECTS } from '../../src/services/objects/createObjects.js';

const BULK = `mutation($inputs: [CreateObjectInput!]!) { createObjects(inputs: $inputs) {
  id euid kind category type subtype status name externalId properties deleted
  ... on Container { barcode layout { rows columns wellCount } }
  template { code }
  references { provider type value }
} }`;
const ONE = BULK.replace('$inputs: [CreateObjectInput!]!', '$input: CreateObjectInput!').replace('createObjects(inputs: $inputs)', 'createObject(input: $input)');

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t?.close();
});

const tag = () => Math.random().toString(36).slice(2, 10);
const count = async (sql: string, params: unknown[] = []) => Number((await t.testDb.db.query<{ n: number | string }>(sql, params))[0].n);
const auditRows = (euids: string[]) =>
  t.testDb.db.query<{ entity_euid: string; operation: string; entity_type: string; changes: unknown; actor_id: string }>(
    `SELECT entity_euid, operation, entity_type, changes, actor_id FROM audit_log WHERE entity_euid = ANY($1::text[]) ORDER BY id`, [euids]);
const eventRows = (euids: string[]) =>
  t.testDb.db.query<{ euid: string; type: string; data: Record<string, unknown> }>(
    `SELECT euid, type, data FROM outbox_event WHERE euid = ANY($1::text[]) ORDER BY id`, [euids]);

/** What two creates of the same input must share (everything but the EUID and the name it defaults to). */
const comparable = (o: Record<string, unknown>) => {
  const { id: _i, euid: _e, name: _n, ...rest } = o;
  return rest;
};

describe('createObjects', () => {
  it('creates every input in order, each exactly as createObject does, with its audit row and events', async () => {
    const x = tag();
    const inputs = [
      { templateCode: PLATE_96, name: `bulk plate ${x}`, externalId: `bulk-plate-${x}`, barcode: `BC-${x}` },
      { templateCode: GDNA, properties: { volume_ul: 40, concentration_ng_ul: 2.5 } },
      { templateCode: BLOOD, externalId: `bulk-tube-${x}`, references: [{ type: 'order_number', value: 'A' }, { type: 'order_number', value: `B-${x}` }] },
      { templateCode: TUBE, status: 'pending' },
    ];
    const r = ok(await t.gql(BULK, { inputs }));
    const made = r.createObjects as Record<string, any>[];
    expect(made).toHaveLength(4);
    expect(made.map((o) => o.template.code)).toEqual([PLATE_96, GDNA, BLOOD, TUBE]);
    expect(new Set(made.map((o) => o.id)).size).toBe(4);
    expect(made[0]).toMatchObject({ kind: 'CONTAINER', name: `bulk plate ${x}`, barcode: `BC-${x}`, layout: { rows: 8, columns: 12, wellCount: 96 } });
    expect(made[1].name).toBe(made[1].id);
    expect(made[2].references).toEqual([{ provider: 'external', type: 'order_number', value: `B-${x}` }]);

    // The same inputs one by one (externalIds changed so they do not collide) give the same objects.
    const audits = await auditRows(made.map((o) => o.id));
    const events = await eventRows(made.map((o) => o.id));
    for (let i = 0; i < inputs.length; i++) {
      const single = { ...inputs[i], ...(inputs[i].externalId ? { externalId: `${inputs[i].externalId}-single` } : {}) };
      const one = ok(await t.gql(ONE, { input: single })).createObject as Record<string, any>;
      const bulk = made[i];
      expect(comparable(bulk)).toEqual({ ...comparable(one), externalId: inputs[i].externalId ?? null });

      const [bulkAudit] = audits.filter((a) => a.entity_euid === bulk.id);
      const [oneAudit] = await auditRows([one.id]);
      expect(bulkAudit).toMatchObject({ operation: 'createObject', entity_type: oneAudit.entity_type, actor_id: oneAudit.actor_id });
      const strip = (c: any) => ({ ...c, name: undefined, externalId: undefined });
      expect(strip(bulkAudit.changes)).toEqual(strip(oneAudit.changes));
      expect(audits.filter((a) => a.entity_euid === bulk.id)).toHaveLength(1);

      const bulkEvents = events.filter((e) => e.euid === bulk.id);
      const oneEvents = await eventRows([one.id]);
      expect(bulkEvents.map((e) => e.type)).toEqual(oneEvents.map((e) => e.type));
      expect(bulkEvents.map((e) => Object.keys(e.data).sort())).toEqual(oneEvents.map((e) => Object.keys(e.data).sort()));
      expect(bulkEvents[0].data).toMatchObject({ euid: bulk.id, template: oneEvents[0].data.template });
    }
  });

  it('refuses an empty list and more than the limit with BAD_USER_INPUT, writing nothing', async () => {
    const before = await count('SELECT count(*) AS n FROM material_object');
    const empty = await t.gql(BULK, { inputs: [] });
    expect(empty.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0].message).toContain(`between 1 and ${MAX_CREATE_OBJECTS}`);
    const many = await t.gql(BULK, { inputs: Array.from({ length: MAX_CREATE_OBJECTS + 1 }, () => ({ templateCode: GDNA })) });
    expect(many.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await count('SELECT count(*) AS n FROM material_object')).toBe(before);
  });

  it('names the failing input; one bad input fails the whole call', async () => {
    const x = tag();
    const before = await count('SELECT count(*) AS n FROM material_object');
    const auditBefore = await count('SELECT count(*) AS n FROM audit_log');
    const outboxBefore = await count('SELECT count(*) AS n FROM outbox_event');

    const badProps = await t.gql(BULK, { inputs: [{ templateCode: GDNA, name: `ok ${x}` }, { templateCode: GDNA }, { templateCode: GDNA, properties: { volume_ul: 'lots' } }] });
    expect(badProps.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(badProps.errors?.[0].message).toMatch(/^inputs\.2\.properties\.volume_ul: /);
    expect((badProps.errors?.[0].extensions?.issues as { path: unknown[] }[])[0].path.slice(0, 2)).toEqual(['inputs', 2]);

    const noTemplate = await t.gql(BULK, { inputs: [{ templateCode: GDNA }, { templateCode: 'content/sample/nope/1.0' }] });
    expect(noTemplate.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(noTemplate.errors?.[0].message).toMatch(/^inputs\.1: /);

    const both = await t.gql(BULK, { inputs: [{ templateCode: GDNA, templateEuid: 'BGT-1' }] });
    expect(both.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(both.errors?.[0].message).toMatch(/^inputs\.0\.templateCode: /);

    const layout = await t.gql(BULK, { inputs: [{ templateCode: GDNA, layout: { rows: 2, columns: 2 } }] });
    expect(layout.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(layout.errors?.[0].message).toMatch(/^inputs\.0\.layout: only containers/);

    // A repeated externalId (within the call here) is the same 409 createObject gives.
    const dup = await t.gql(BULK, { inputs: [{ templateCode: GDNA, externalId: `dup-${x}` }, { templateCode: GDNA, externalId: `dup-${x}` }] });
    expect(dup.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(dup.errors?.[0].extensions?.detail).toBe('external_id_already_exists');

    expect(await count('SELECT count(*) AS n FROM material_object')).toBe(before);
    expect(await count('SELECT count(*) AS n FROM audit_log')).toBe(auditBefore);
    expect(await count('SELECT count(*) AS n FROM outbox_event')).toBe(outboxBefore);
  });

  it('needs objects:write', async () => {
    const reader = await mintKey(t, { role: 'READ_ONLY' });
    const r = await t.gql(BULK, { inputs: [{ templateCode: GDNA }] }, bearer(reader.token));
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('replays a retry with the same Idempotency-Key without writing again; another body with that key is refused', async () => {
    const x = tag();
    const key = newKey('bulk');
    const body = { query: BULK, variables: { inputs: [{ templateCode: GDNA, name: `idem a ${x}` }, { templateCode: GDNA, name: `idem b ${x}` }] } };
    const first = await send(t, 'POST', '/graphql', body, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    expect(first.json.errors).toBeUndefined();
    expect(first.replayed).toBe(false);
    const named = () => count(`SELECT count(*) AS n FROM material_object WHERE name LIKE $1`, [`idem _ ${x}`]);
    expect(await named()).toBe(2);

    const again = await send(t, 'POST', '/graphql', body, { 'idempotency-key': key });
    expect(again.replayed).toBe(true);
    expect(again.text).toBe(first.text);
    expect(await named()).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE idempotency_key = $1`, [key])).toBe(2);

    const other = await send(t, 'POST', '/graphql', { ...body, variables: { inputs: [{ templateCode: GDNA, name: `idem c ${x}` }] } }, { 'idempotency-key': key });
    expect(other.json.errors?.[0].extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await named()).toBe(2);
  });
});
