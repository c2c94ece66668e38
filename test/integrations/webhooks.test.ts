// Webhook subscriptions for ADMIN under /api/v1/integrations/webhooks over real
// HTTP, mapped onto the shared webhook services: create (secret once), list,
// get, patch, disable, rotate, test, deliveries, replay; and the bioAF events
// (sample.created, experiment.updated …) delivered, signed, with thin data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { auditFor } from '../helpers/idempotency.js';
import { WEBHOOK_ENV, startReceiver, waitFor, type Receiver } from '../helpers/webhooks.js';
import { verifyWebhook } from '../../src/events/webhooks/verifyWebhook.js';
import { client, expectStatus } from './client.js';

let t: TestGateway;
let rx: Receiver;
const { call, assertNoInternalIds } = client(() => t);

beforeAll(async () => {
  t = await startTestGateway({ env: WEBHOOK_ENV });
  rx = await startReceiver();
});
afterAll(async () => {
  await t?.close();
  await rx?.close();
});

describe('subscriptions', () => {
  it('creates a subscription to bioAF events, shows the secret once, and delivers signed events with thin data', async () => {
    const made = expectStatus(await call('POST', '/webhooks', { name: 'LIMS sync', url: rx.url, events: ['sample.created', 'experiment.updated', 'project.created'] }), 201);
    expect(made.body).toEqual({
      subscription: {
        id: expect.any(Number), euid: expect.stringMatching(/^BWH-/), name: 'LIMS sync', url: rx.url, events: ['sample.created', 'experiment.updated', 'project.created'],
        is_active: true, disabled_reason: null, previous_secret_expires_at: null, created_at: expect.any(String), updated_at: expect.any(String),
      },
      secret: expect.stringMatching(/^whsec_/),
    });
    const { subscription: sub, secret } = made.body;
    expect(expectStatus(await call('GET', `/webhooks/${sub.id}`), 200).body).toEqual(sub);
    expect(JSON.stringify((await call('GET', '/webhooks')).body)).not.toContain(secret);
    expect((await auditFor(t, sub.euid)).map((a) => a.operation)).toEqual(['createWebhookEndpoint']);

    const e = expectStatus(await call('POST', '/experiments', { external_id: 'WH-E', name: 'E' }), 201).body;
    const s = expectStatus(await call('POST', '/samples', { external_id: 'WH-S', experiment_id: e.id }), 201).body;
    expectStatus(await call('PATCH', `/experiments/${e.id}`, { name: 'E2' }), 200);
    await waitFor(() => rx.receipts.length >= 2, 'two deliveries');
    // Sent concurrently: compare in a fixed order.
    const receipts = [...rx.receipts].sort((a, b) => (a.headers['x-labgraph-event'] < b.headers['x-labgraph-event'] ? -1 : 1));
    const events = receipts.map((r) => verifyWebhook(secret, r.headers, r.body));
    expect(events.map((ev) => [ev.type, ev.data])).toEqual([
      ['experiment.updated', { experiment_id: e.id, external_id: 'WH-E', changed_fields: ['name'] }],
      ['sample.created', { sample_id: s.id, external_id: 'WH-S', experiment_id: e.id }],
    ]);
    // The envelope our events carry: event id, type, time, EUID and external id.
    expect(JSON.parse(receipts[1].body)).toEqual({
      id: expect.stringMatching(/^evt_[0-9a-f]{24}$/), type: 'sample.created', occurredAt: expect.any(String), euid: s.euid, externalId: 'WH-S',
      data: { sample_id: s.id, external_id: 'WH-S', experiment_id: e.id },
    });
    const list = expectStatus(await call('GET', `/webhooks/${sub.id}/deliveries?status=delivered`), 200).body.items;
    expect(list.map((d: { event: string }) => d.event)).toEqual(['experiment.updated', 'sample.created']);
    expect(list[0]).toEqual({
      id: expect.stringMatching(/^dlv_/), subscription_id: sub.id, event_id: events[0].id, event: 'experiment.updated', status: 'delivered', attempt_count: 1,
      last_response_status: 200, last_error: null, last_attempted_at: expect.any(String), delivered_at: expect.any(String), next_attempt_at: null, created_at: expect.any(String),
    });

    // Replay: a new delivery of the same event id and body.
    const replay = expectStatus(await call('POST', `/webhooks/deliveries/${list[1].id}/replay`), 201).body;
    expect(replay).toMatchObject({ event_id: list[1].event_id, event: 'sample.created', attempt_count: 0, status: 'pending', subscription_id: sub.id });
    expect(replay.id).not.toBe(list[1].id);
    await waitFor(() => rx.receipts.length >= 3, 'the replay');
    expect(rx.receipts[2].body).toBe(receipts[1].body);
  });

  it('patches, tests, rotates and disables a subscription', async () => {
    const { subscription: sub, secret } = expectStatus(await call('POST', '/webhooks', { url: rx.url, events: ['file.registered'] }), 201).body;
    expect(sub.name).toBeNull();
    const patched = expectStatus(await call('PATCH', `/webhooks/${sub.id}`, { name: 'renamed', events: ['file.registered', 'sample.qc_changed', 'file.ready'] }), 200).body;
    expect(patched).toMatchObject({ name: 'renamed', events: ['file.registered', 'sample.qc_changed', 'file.ready'], is_active: true });
    const n = rx.receipts.length;
    const test = expectStatus(await call('POST', `/webhooks/${sub.id}/test`), 201).body;
    expect(test).toMatchObject({ event: 'webhook.test', status: 'pending', subscription_id: sub.id });
    await waitFor(() => rx.receipts.length > n, 'the test event');
    expect(verifyWebhook(secret, rx.receipts[n].headers, rx.receipts[n].body).type).toBe('webhook.test');
    const rotated = expectStatus(await call('POST', `/webhooks/${sub.id}/rotate-secret`), 200).body;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    const off = expectStatus(await call('DELETE', `/webhooks/${sub.id}`), 200).body;
    expect(off).toMatchObject({ is_active: false, disabled_reason: 'deleted' });
    expect((await call('PATCH', `/webhooks/${sub.id}`, { is_active: true })).body).toMatchObject({ is_active: true, disabled_reason: null });
  });

  it('answers 422 for unknown event types or a bad url, 404 for unknown ids, 403 for non-ADMIN keys', async () => {
    const bad = await call('POST', '/webhooks', { url: rx.url, events: ['sample.deleted'] });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ loc: ['body', 'events'], msg: expect.stringContaining('sample.deleted') });
    expect((await call('POST', '/webhooks', { url: 'ftp://x', events: ['sample.created'] })).body.detail[0].loc).toEqual(['body', 'url']);
    expect((await call('POST', '/webhooks', { events: ['sample.created'] })).body.detail[0]).toMatchObject({ loc: ['body', 'url'], type: 'missing' });
    expect(await call('GET', '/webhooks/999999')).toMatchObject({ status: 404, body: { detail: 'webhook_endpoint_not_found' } });
    expect((await call('PATCH', '/webhooks/999999', { name: 'x' })).status).toBe(404);
    expect((await call('GET', '/webhooks/x')).status).toBe(422);
    expect((await call('POST', '/webhooks/deliveries/dlv_00000000000000000000000000000000/replay')).body).toEqual({ detail: 'webhook_delivery_not_found' });
    const rw = bearer((await mintKey(t, { role: 'READ_WRITE' })).token);
    for (const [m, p] of [['GET', '/webhooks'], ['POST', '/webhooks'], ['POST', '/webhooks/1/test']] as const) {
      expect(await call(m, p, m === 'POST' ? { url: rx.url, events: ['sample.created'] } : undefined, rw)).toMatchObject({ status: 403, body: { detail: 'role_missing' } });
    }
  });

  it('never answers with a uuid or an internal id', () => {
    assertNoInternalIds();
  });
});
