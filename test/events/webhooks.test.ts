// Signed webhooks end to end: real receivers on 127.0.0.1, the outbox dispatcher and
// the delivery worker of a real gateway, signatures checked with the independent
// `standardwebhooks` package and a plain HMAC, retries, dead letter, replay, 410,
// Retry-After, secret rotation, ADMIN-only management, no secret leaks.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { ADMIN_KEY, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { GDNA, create } from '../helpers/fixtures.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import {
  DELIVERY_FIELDS,
  ENDPOINT_FIELDS,
  WEBHOOK_ENV,
  createEndpoint,
  deliveries,
  deliveryById,
  disableEndpoint,
  sendTest,
  startReceiver,
  waitFor,
  type DeliveryOut,
  type Receipt,
  type Receiver,
  type Reply,
} from '../helpers/webhooks.js';
import { verifyWebhook, verifyLabgraphSignature } from '../../src/events/webhooks/verifyWebhook.js';

let t: TestGateway;
const receivers: Receiver[] = [];
/** Every secret handed out: none may show up anywhere but the create/rotate response. */
const secrets: string[] = [ADMIN_KEY];

async function receiver(reply?: Receiver['reply']): Promise<Receiver> {
  const r = await startReceiver(reply);
  receivers.push(r);
  return r;
}

async function endpoint(url: string, eventTypes: string[] = ['webhook.test'], filter?: { euids?: string[]; externalIds?: string[] }) {
  const out = await createEndpoint(t, { url, eventTypes, ...(filter ? { filter } : {}) });
  secrets.push(out.secret);
  return out;
}

/** Plain HMAC check of X-Labgraph-Signature: t=<unix>,v1=<hex HMAC-SHA256(UTF-8 secret, "t." + body)>. */
function labgraphSignatureMatches(secret: string, header: string, body: string): boolean {
  const parts = header.split(',');
  const ts = parts.find((p) => p.startsWith('t='))!.slice(2);
  const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
  return parts.filter((p) => p.startsWith('v1=')).map((p) => p.slice(3)).includes(expected);
}

function expectSigned(r: Receipt, secret: string) {
  const event = new Webhook(secret).verify(r.body, r.headers) as { id: string };
  expect(event.id).toBe(r.headers['webhook-id']);
  expect(labgraphSignatureMatches(secret, r.headers['x-labgraph-signature'], r.body)).toBe(true);
  return event;
}

async function settled(endpointId: string, deliveryId: string, status: string): Promise<DeliveryOut> {
  return waitFor(async () => {
    const d = await deliveryById(t, endpointId, deliveryId);
    return d?.status === status ? d : undefined;
  }, `delivery ${deliveryId} to be ${status}`);
}

beforeAll(async () => {
  t = await startTestGateway({ env: WEBHOOK_ENV });
});

afterAll(async () => {
  for (const r of receivers) await r.close();
  await t?.close();
});

describe('delivery and signatures', () => {
  it('a createObject produces object.created and content.created deliveries that verify with standardwebhooks and a plain HMAC', async () => {
    const rx = await receiver();
    const { endpoint: ep, secret } = await endpoint(rx.url, ['object.created', 'content.created', 'object.updated'], { externalIds: ['WH-SIG-1'] });
    expect(ep.id).toMatch(/^BWH-/);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);

    const euid = await create(t, { templateCode: GDNA, externalId: 'WH-SIG-1' });
    await create(t, { templateCode: GDNA, externalId: 'WH-OTHER' }); // filtered out
    await waitFor(() => rx.receipts.length >= 2, 'two receipts');
    await t.gateway.events.webhooks.drain();
    expect(rx.receipts).toHaveLength(2);

    const outbox = await t.testDb.db.query<{ event_id: string; type: string }>(`SELECT event_id, type FROM outbox_event WHERE euid = $1`, [euid]);
    const byType = new Map(outbox.map((e) => [e.type, e.event_id]));
    const seen = new Set<string>();
    for (const r of rx.receipts) {
      expect(r.headers['content-type']).toBe('application/json');
      const event = expectSigned(r, secret) as { id: string; type: string; euid: string; externalId: string; occurredAt: string; data: Record<string, unknown> };
      // The receiver helper agrees, for both schemes.
      expect(verifyWebhook(secret, r.headers, r.body).id).toBe(event.id);
      expect(verifyLabgraphSignature(secret, r.headers, r.body).id).toBe(event.id);
      expect(Object.keys(event)).toEqual(['id', 'type', 'occurredAt', 'euid', 'externalId', 'data']);
      expect(event).toMatchObject({ euid, externalId: 'WH-SIG-1' });
      expect(event.id).toMatch(/^evt_[0-9a-f]{24}$/);
      expect(event.id).toBe(byType.get(event.type));
      expect(r.headers['x-labgraph-event']).toBe(event.type);
      expect(r.headers['x-labgraph-event-id']).toBe(event.id);
      expect(r.headers['x-labgraph-delivery']).toMatch(/^dlv_[0-9a-f]{32}$/);
      expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      expect(r.headers['x-labgraph-signature']).toMatch(new RegExp(`^t=${r.headers['webhook-timestamp']},v1=[0-9a-f]{64}$`));
      expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      seen.add(event.type);
    }
    expect([...seen].sort()).toEqual(['content.created', 'object.created']);

    const list = await deliveries(t, { endpointId: ep.id });
    expect(list).toHaveLength(2);
    for (const d of list) {
      expect(d).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200, lastError: null, endpointId: ep.id, nextAttemptAt: null });
      expect(d.deliveredAt).not.toBeNull();
      expect(d.lastDurationMs).toBeGreaterThanOrEqual(0);
      expect(rx.receipts.map((r) => r.headers['x-labgraph-delivery'])).toContain(d.deliveryId);
    }
    await disableEndpoint(t, ep.id);
  });

  it('tampered bodies, wrong secrets and stale timestamps are refused by verifyWebhook', async () => {
    const rx = await receiver();
    const { endpoint: ep, secret } = await endpoint(rx.url);
    await sendTest(t, ep.id);
    const r = await waitFor(() => rx.receipts[0], 'the test event');
    const body = JSON.parse(r.body) as { type: string; data: Record<string, unknown>; euid: string };
    expect(body).toMatchObject({ type: 'webhook.test', euid: ep.id, data: { sender: 'labgraph', purpose: 'endpoint_test' } });
    expect(() => verifyWebhook(secret, r.headers, r.body.replace('endpoint_test', 'endpoint_tesT'))).toThrow(/signature/);
    expect(() => verifyWebhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, r.headers, r.body)).toThrow(/signature/);
    expect(() => verifyWebhook(secret, r.headers, r.body, { now: Number(r.headers['webhook-timestamp']) + 301 })).toThrow(/tolerance/);
    expect(() => verifyWebhook(secret, { ...r.headers, 'webhook-id': 'evt_other' }, r.body)).toThrow();
    expect(() => new Webhook(secret).verify(r.body + ' ', r.headers)).toThrow();
    expect(verifyWebhook(secret, new Headers(r.headers), Buffer.from(r.body)).type).toBe('webhook.test');
    await disableEndpoint(t, ep.id);
  });
});

describe('retries, dead letter, replay', () => {
  it('a receiver failing with 500 then recovering gets the same event again until it answers 2xx', async () => {
    const rx = await receiver((n) => (n < 2 ? { status: 500, body: 'try later' } : { status: 204 }));
    const { endpoint: ep, secret } = await endpoint(rx.url);
    const queued = await sendTest(t, ep.id);
    expect(queued).toMatchObject({ status: 'pending', attempts: 0, eventType: 'webhook.test' });
    const done = await settled(ep.id, queued.deliveryId, 'delivered');
    expect(done).toMatchObject({ attempts: 3, lastStatus: 204, lastError: null });
    expect(rx.receipts).toHaveLength(3);
    for (const r of rx.receipts) {
      expectSigned(r, secret);
      expect(r.headers['webhook-id']).toBe(queued.eventId);
      expect(r.headers['x-labgraph-delivery']).toBe(queued.deliveryId);
    }
    await disableEndpoint(t, ep.id);
  });

  it('always failing: dead-lettered after the schedule; replay delivers it with the same webhook-id', async () => {
    let healthy = false;
    const rx = await receiver(() => (healthy ? { status: 200 } : { status: 500, body: 'x'.repeat(10_000) }));
    const { endpoint: ep, secret } = await endpoint(rx.url);
    const queued = await sendTest(t, ep.id);
    const dead = await settled(ep.id, queued.deliveryId, 'dead_letter');
    // One first attempt plus one retry per gap of WEBHOOK_RETRY_SCHEDULE (3).
    expect(dead).toMatchObject({ attempts: 4, lastStatus: 500, nextAttemptAt: null, deliveredAt: null });
    expect(dead.lastError).toMatch(/^HTTP 500: x+/);
    expect(dead.lastError!.length).toBeLessThanOrEqual(4096);
    expect(rx.receipts).toHaveLength(4);

    // A dead letter stays dead: nothing more is sent.
    await t.gateway.events.webhooks.drain();
    expect(rx.receipts).toHaveLength(4);

    healthy = true;
    const r = await t.gql<{ replayWebhookDelivery: DeliveryOut }>(`mutation($id: ID!) { replayWebhookDelivery(deliveryId: $id) { ${DELIVERY_FIELDS} } }`, { id: queued.deliveryId });
    const replay = ok(r).replayWebhookDelivery;
    expect(replay).toMatchObject({ status: 'pending', attempts: 0, eventId: queued.eventId, eventType: 'webhook.test', endpointId: ep.id });
    expect(replay.deliveryId).not.toBe(queued.deliveryId);
    await settled(ep.id, replay.deliveryId, 'delivered');
    const last = rx.receipts.at(-1)!;
    expect(last.headers['webhook-id']).toBe(queued.eventId);
    expect(last.headers['x-labgraph-delivery']).toBe(replay.deliveryId);
    expect(last.body).toBe(rx.receipts[0].body);
    expectSigned(last, secret);
    // The original row keeps its history.
    expect(await deliveryById(t, ep.id, queued.deliveryId)).toMatchObject({ status: 'dead_letter', attempts: 4 });

    // Replaying a delivery that is still pending is refused; an unknown one is not found.
    const pendingId = `dlv_${'1'.repeat(32)}`;
    await t.testDb.db.query(
      `INSERT INTO webhook_delivery (delivery_id, endpoint_id, event_id, event_type, payload, next_attempt_at)
       SELECT $1, id, 'evt_000000000000000000000002', 'webhook.test', '{}', now() + interval '1 hour' FROM webhook_endpoint WHERE euid = $2`, [pendingId, ep.id]);
    const pending = await t.gql(`mutation($id: ID!) { replayWebhookDelivery(deliveryId: $id) { deliveryId } }`, { id: pendingId });
    expect(pending.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await t.gql(`mutation($id: ID!) { replayWebhookDelivery(deliveryId: $id) { deliveryId } }`, { id: `dlv_${'0'.repeat(32)}` });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await disableEndpoint(t, ep.id);
  });

  it('replayDeadLetters re-queues every dead letter of an endpoint once', async () => {
    let healthy = false;
    const rx = await receiver(() => (healthy ? { status: 200 } : { status: 502 }));
    const { endpoint: ep } = await endpoint(rx.url);
    const a = await sendTest(t, ep.id);
    const b = await sendTest(t, ep.id);
    await settled(ep.id, a.deliveryId, 'dead_letter');
    await settled(ep.id, b.deliveryId, 'dead_letter');
    healthy = true;
    const replay = async () => ok(await t.gql<{ replayDeadLetters: number }>(`mutation($id: ID!) { replayDeadLetters(endpointId: $id) }`, { id: ep.id })).replayDeadLetters;
    expect(await replay()).toBe(2);
    expect(await replay()).toBe(0);
    await waitFor(async () => (await deliveries(t, { endpointId: ep.id, status: 'delivered' })).length === 2, 'both replays delivered');
    const delivered = await deliveries(t, { endpointId: ep.id, status: 'delivered' });
    expect(delivered.map((d) => d.eventId).sort()).toEqual([a.eventId, b.eventId].sort());
    expect(await deliveries(t, { endpointId: ep.id, status: 'dead_letter' })).toHaveLength(2);
    await disableEndpoint(t, ep.id);
  });

  it('410 Gone disables the endpoint; later rows for a disabled endpoint fail without an HTTP call', async () => {
    const rx = await receiver(() => ({ status: 410 }));
    const { endpoint: ep } = await endpoint(rx.url);
    const queued = await sendTest(t, ep.id);
    const failed = await settled(ep.id, queued.deliveryId, 'failed');
    expect(failed).toMatchObject({ attempts: 1, lastStatus: 410 });
    expect(rx.receipts).toHaveLength(1);
    const after = ok(await t.gql<{ webhookEndpoint: { active: boolean; disabledReason: string } }>(`query($id: ID!) { webhookEndpoint(id: $id) { active disabledReason } }`, { id: ep.id }));
    expect(after.webhookEndpoint.active).toBe(false);
    expect(after.webhookEndpoint.disabledReason).toMatch(/410/);
    // Audited as a system action.
    const [audit] = await t.testDb.db.query<{ actor_kind: string; operation: string }>(
      `SELECT actor_kind, operation FROM audit_log WHERE entity_euid = $1 AND operation = 'disableWebhookEndpoint'`, [ep.id]);
    expect(audit).toMatchObject({ actor_kind: 'system' });

    const refused = await t.gql(`mutation($id: ID!) { testWebhookEndpoint(id: $id) { deliveryId } }`, { id: ep.id });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // A row that comes up for a disabled endpoint ends as failed, and nothing is sent.
    await t.testDb.db.query(
      `INSERT INTO webhook_delivery (delivery_id, endpoint_id, event_id, event_type, payload)
       SELECT 'dlv_' || md5(random()::text), id, 'evt_000000000000000000000001', 'webhook.test', '{}' FROM webhook_endpoint WHERE euid = $1`, [ep.id]);
    await t.gateway.events.webhooks.drain();
    const [row] = await deliveries(t, { endpointId: ep.id, eventId: 'evt_000000000000000000000001' });
    expect(row).toMatchObject({ status: 'failed', attempts: 0, lastError: 'endpoint_inactive_or_missing' });
    expect(rx.receipts).toHaveLength(1);

    // Re-enabled, it receives again.
    rx.reply = () => ({ status: 200 });
    const re = ok(await t.gql<{ updateWebhookEndpoint: { active: boolean; disabledReason: string | null } }>(
      `mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { active: true }) { active disabledReason } }`, { id: ep.id }));
    expect(re.updateWebhookEndpoint).toEqual({ active: true, disabledReason: null });
    const again = await sendTest(t, ep.id);
    await settled(ep.id, again.deliveryId, 'delivered');
    await disableEndpoint(t, ep.id);
  });

  it('429 with Retry-After: the next attempt waits at least Retry-After, longer than the schedule', async () => {
    const rx = await receiver((n) => (n === 0 ? { status: 429, headers: { 'retry-after': '30' } } : { status: 200 }));
    const { endpoint: ep } = await endpoint(rx.url);
    const queued = await sendTest(t, ep.id);
    const waiting = await waitFor(async () => {
      const d = await deliveryById(t, ep.id, queued.deliveryId);
      return d?.attempts === 1 ? d : undefined;
    }, 'the first attempt');
    expect(waiting).toMatchObject({ status: 'pending', lastStatus: 429 });
    const gap = Date.parse(waiting.nextAttemptAt!) - Date.parse(waiting.lastAttemptAt!);
    expect(gap).toBeGreaterThanOrEqual(29_000);
    await t.gateway.events.webhooks.drain();
    expect(rx.receipts).toHaveLength(1); // not due yet
    // Make it due now instead of waiting 30 s: it is delivered on the next round.
    await t.testDb.db.query(`UPDATE webhook_delivery SET next_attempt_at = now() WHERE delivery_id = $1`, [queued.deliveryId]);
    await t.gateway.events.webhooks.drain();
    expect(await deliveryById(t, ep.id, queued.deliveryId)).toMatchObject({ status: 'delivered', attempts: 2 });
    await disableEndpoint(t, ep.id);
  });

  it('503 with an HTTP-date Retry-After is honoured too; a 3xx is a failure and is not followed', async () => {
    const target = await receiver();
    const rx = await receiver((n): Reply =>
      n === 0
        ? { status: 503, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } }
        : { status: 302, headers: { location: target.url } });
    const { endpoint: ep } = await endpoint(rx.url);
    const queued = await sendTest(t, ep.id);
    const first = await waitFor(async () => {
      const d = await deliveryById(t, ep.id, queued.deliveryId);
      return d?.attempts === 1 ? d : undefined;
    }, 'the first attempt');
    expect(Date.parse(first.nextAttemptAt!) - Date.parse(first.lastAttemptAt!)).toBeGreaterThanOrEqual(55_000);
    await t.testDb.db.query(`UPDATE webhook_delivery SET next_attempt_at = now() WHERE delivery_id = $1`, [queued.deliveryId]);
    const second = await waitFor(async () => {
      const d = await deliveryById(t, ep.id, queued.deliveryId);
      return d && d.attempts >= 2 ? d : undefined;
    }, 'the second attempt');
    expect(second).toMatchObject({ lastStatus: 302 });
    expect(second.lastError).toMatch(/redirect/);
    expect(target.receipts).toHaveLength(0);
    await disableEndpoint(t, ep.id);
  });
});

describe('secret rotation', () => {
  it('during the overlap both secrets sign (both schemes); after it only the new one', async () => {
    const rx = await receiver();
    const { endpoint: ep, secret: oldSecret } = await endpoint(rx.url);
    const r = await t.gql<{ rotateWebhookSecret: { secret: string; endpoint: { id: string; previousSecretExpiresAt: string } } }>(
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { id previousSecretExpiresAt } } }`, { id: ep.id });
    const rotated = ok(r).rotateWebhookSecret;
    const newSecret = rotated.secret;
    secrets.push(newSecret);
    expect(newSecret).not.toBe(oldSecret);
    const overlapMs = Date.parse(rotated.endpoint.previousSecretExpiresAt) - Date.now();
    expect(overlapMs).toBeGreaterThan(23 * 3600_000); // WEBHOOK_SECRET_OVERLAP_HOURS default 24
    expect(overlapMs).toBeLessThanOrEqual(24 * 3600_000);

    const q1 = await sendTest(t, ep.id);
    await settled(ep.id, q1.deliveryId, 'delivered');
    const during = rx.receipts[0];
    expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(during.headers['x-labgraph-signature'].split(',').filter((p) => p.startsWith('v1='))).toHaveLength(2);
    expectSigned(during, newSecret);
    expectSigned(during, oldSecret);
    expect(verifyWebhook(oldSecret, during.headers, during.body).id).toBe(q1.eventId);
    expect(verifyWebhook([newSecret], during.headers, during.body).id).toBe(q1.eventId);

    // The overlap ends: only the new secret signs.
    await t.testDb.db.query(`UPDATE webhook_endpoint SET previous_secret_until = now() - interval '1 second' WHERE euid = $1`, [ep.id]);
    const q2 = await sendTest(t, ep.id);
    await settled(ep.id, q2.deliveryId, 'delivered');
    const afterwards = rx.receipts[1];
    expect(afterwards.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expectSigned(afterwards, newSecret);
    expect(() => new Webhook(oldSecret).verify(afterwards.body, afterwards.headers)).toThrow();
    expect(labgraphSignatureMatches(oldSecret, afterwards.headers['x-labgraph-signature'], afterwards.body)).toBe(false);
    const ep2 = ok(await t.gql<{ webhookEndpoint: { previousSecretExpiresAt: string | null } }>(`query($id: ID!) { webhookEndpoint(id: $id) { previousSecretExpiresAt } }`, { id: ep.id }));
    expect(ep2.webhookEndpoint.previousSecretExpiresAt).toBeNull();
    await disableEndpoint(t, ep.id);
  });
});

describe('managing endpoints', () => {
  it('validates event types and URLs (BAD_USER_INPUT)', async () => {
    const bad = async (input: Record<string, unknown>) => {
      const r = await t.gql(`mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`, { input });
      expect(r.errors?.[0].extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
      return r.errors![0].message;
    };
    expect(await bad({ url: 'https://receiver.example/hook', eventTypes: ['object.created', 'object.exploded'] })).toMatch(/object\.exploded/);
    await bad({ url: 'https://receiver.example/hook', eventTypes: [] });
    expect(await bad({ url: 'ftp://127.0.0.1/hook', eventTypes: ['object.created'] })).toMatch(/scheme ftp/);
    expect(await bad({ url: 'http://169.254.169.254/latest/meta-data/', eventTypes: ['object.created'] })).toMatch(/169\.254\.169\.254/);
    await bad({ url: 'http://10.0.0.7/hook', eventTypes: ['object.created'] });
    await bad({ url: 'http://user:pw@127.0.0.1/hook', eventTypes: ['object.created'] });
    await bad({ url: 'not a url', eventTypes: ['object.created'] });

    const rx = await receiver();
    const { endpoint: ep } = await endpoint(rx.url, ['object.created']);
    const upd = await t.gql(`mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { url: "http://192.168.1.10/x" }) { id } }`, { id: ep.id });
    expect(upd.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await t.gql(`mutation { rotateWebhookSecret(id: "BWH-ZZZZZ") { secret } }`);
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await disableEndpoint(t, ep.id);
  });

  it('updates, lists and deletes (disables) endpoints; filters narrow what is delivered', async () => {
    const rx = await receiver();
    const { endpoint: ep } = await endpoint(rx.url, ['object.created'], { externalIds: ['WH-F-1'] });
    expect(ep.filter).toEqual({ euids: null, externalIds: ['WH-F-1'] });
    const u = ok(await t.gql<{ updateWebhookEndpoint: { eventTypes: string[]; filter: unknown; description: string } }>(
      `mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { eventTypes: ["object.created", "object.updated"], filter: { externalIds: ["WH-F-2"] }, description: "LIMS sync" })
         { eventTypes filter { euids externalIds } description } }`, { id: ep.id }));
    expect(u.updateWebhookEndpoint).toEqual({ eventTypes: ['object.created', 'object.updated'], filter: { euids: null, externalIds: ['WH-F-2'] }, description: 'LIMS sync' });

    await create(t, { templateCode: GDNA, externalId: 'WH-F-1' });
    const euid2 = await create(t, { templateCode: GDNA, externalId: 'WH-F-2' });
    await waitFor(() => rx.receipts.length >= 1, 'the matching event');
    await t.gateway.events.dispatcher.drain();
    await t.gateway.events.webhooks.drain();
    expect(rx.receipts.map((r) => JSON.parse(r.body).euid)).toEqual([euid2]);

    const list = ok(await t.gql<{ webhookEndpoints: { id: string }[] }>(`{ webhookEndpoints { ${ENDPOINT_FIELDS} } }`)).webhookEndpoints;
    expect(list.map((e) => e.id)).toContain(ep.id);
    const del = ok(await t.gql<{ deleteWebhookEndpoint: { active: boolean; disabledReason: string } }>(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { active disabledReason } }`, { id: ep.id }));
    expect(del.deleteWebhookEndpoint).toEqual({ active: false, disabledReason: 'deleted' });

    // No new deliveries once disabled.
    ok(await t.gql(`mutation($euid: ID!) { updateObject(euid: $euid, input: { name: "renamed" }) { id } }`, { euid: euid2 }));
    await t.testDb.db.query(`UPDATE webhook_endpoint SET filter = '{}' WHERE euid = $1`, [ep.id]);
    await create(t, { templateCode: GDNA });
    await t.gateway.events.dispatcher.drain();
    await t.gateway.events.webhooks.drain();
    expect(rx.receipts).toHaveLength(1);
  });

  it('is ADMIN only: a READ_WRITE key gets FORBIDDEN on every webhook operation', async () => {
    const rw = await mintKey(t, { role: 'READ_WRITE' });
    secrets.push(rw.token);
    const ops = [
      `{ webhookEndpoints { id } }`,
      `{ webhookDeliveries { deliveryId } }`,
      `mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/x", eventTypes: ["object.created"] }) { secret } }`,
      `mutation { updateWebhookEndpoint(id: "BWH-1", input: { active: false }) { id } }`,
      `mutation { rotateWebhookSecret(id: "BWH-1") { secret } }`,
      `mutation { deleteWebhookEndpoint(id: "BWH-1") { id } }`,
      `mutation { testWebhookEndpoint(id: "BWH-1") { deliveryId } }`,
      `mutation { replayDeadLetters(endpointId: "BWH-1") }`,
      `mutation { replayWebhookDelivery(deliveryId: "dlv_00000000000000000000000000000000") { deliveryId } }`,
    ];
    for (const q of ops) {
      const r = await t.gql(q, {}, bearer(rw.token));
      expect(r.errors?.[0].extensions?.code, q).toBe('FORBIDDEN');
      expect(r.data ?? null, q).toBeNull();
    }
  });

  it('secrets appear only in the create/rotate response: not in queries, the audit log, idempotency records or at rest', async () => {
    const rx = await receiver();
    const idem = await t.gql<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
      `mutation { createWebhookEndpoint(input: { url: "${rx.url}", eventTypes: ["webhook.test"] }) { secret endpoint { id } } }`, {}, { 'idempotency-key': 'wh-create-1' });
    const created = ok(idem).createWebhookEndpoint;
    secrets.push(created.secret);
    const rot = ok(await t.gql<{ rotateWebhookSecret: { secret: string } }>(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id: created.endpoint.id }, { 'idempotency-key': 'wh-rotate-1' }));
    secrets.push(rot.rotateWebhookSecret.secret);
    await sendTest(t, created.endpoint.id);
    await t.gateway.events.webhooks.drain();

    const views = JSON.stringify([
      await t.gql(`{ webhookEndpoints { ${ENDPOINT_FIELDS} } }`),
      await t.gql(`{ webhookDeliveries(first: 500) { ${DELIVERY_FIELDS} } }`),
    ]);
    const stored = JSON.stringify([
      await t.testDb.db.query(`SELECT row_to_json(a)::text AS r FROM audit_log a`),
      await t.testDb.db.query(`SELECT row_to_json(i)::text AS r FROM idempotency_key i`),
      await t.testDb.db.query(`SELECT secret, previous_secret FROM webhook_endpoint`),
      await t.testDb.db.query(`SELECT payload, last_error FROM webhook_delivery`),
    ]);
    const bodies = rx.receipts.map((r) => r.body).join('\n');
    for (const s of secrets) {
      expect(views.includes(s), 'query responses').toBe(false);
      expect(stored.includes(s), 'database rows').toBe(false);
      expect(stored.includes(s.slice(6)), 'database rows (base64 part)').toBe(false);
      expect(bodies.includes(s), 'webhook bodies').toBe(false);
    }
    expect(stored).toMatch(/createWebhookEndpoint/);
    expect(stored).toMatch(/rotateWebhookSecret/);
    // Stored encrypted, not in plaintext.
    const rows = await t.testDb.db.query<{ secret: string }>(`SELECT secret FROM webhook_endpoint`);
    for (const r of rows) expect(r.secret).toMatch(/^v1:/);
  });
});

describe('webhookDeliveries', () => {
  it('filters by endpoint and status, newest first, bounded by first', async () => {
    const rx = await receiver();
    const { endpoint: ep } = await endpoint(rx.url);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await sendTest(t, ep.id)).deliveryId);
    await waitFor(async () => (await deliveries(t, { endpointId: ep.id, status: 'delivered' })).length === 3, 'three deliveries');
    const two = await deliveries(t, { endpointId: ep.id, first: 2 });
    expect(two.map((d) => d.deliveryId)).toEqual([ids[2], ids[1]]);
    expect(await deliveries(t, { endpointId: ep.id, status: 'dead_letter' })).toEqual([]);
    const bad = await t.gql(`{ webhookDeliveries(status: "lost") { deliveryId } }`);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await t.gql(`{ webhookDeliveries(endpointId: "BWH-ZZZZZ") { deliveryId } }`);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    await disableEndpoint(t, ep.id);
  });
});
