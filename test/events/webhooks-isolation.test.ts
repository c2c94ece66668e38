// A dead endpoint does not delay healthy ones (per-endpoint concurrency cap,
// timeouts), and two gateway instances sharing one database send each delivery
// exactly once per attempt (FOR UPDATE SKIP LOCKED leases).
import { afterAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { usingPostgres } from '../helpers/db.js';
import { openPostgres } from '../../src/db/postgres.js';
import { GDNA, create } from '../helpers/fixtures.js';
import { WEBHOOK_ENV, createEndpoint, disableEndpoint, startReceiver, waitFor, type Receiver } from '../helpers/webhooks.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
});

async function receiver(reply?: Receiver['reply']): Promise<Receiver> {
  const r = await startReceiver(reply);
  cleanup.push(() => r.close());
  return r;
}

const pendingCount = async (t: TestGateway, endpointId: string) => {
  const [r] = await t.testDb.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id WHERE w.euid = $1 AND d.status = 'pending'`, [endpointId]);
  return Number(r.n);
};

describe('a dead endpoint', () => {
  it('does not delay deliveries to a healthy endpoint', async () => {
    const t = await startTestGateway({
      env: { ...WEBHOOK_ENV, WEBHOOK_TIMEOUT_MS: '1500', WEBHOOK_ENDPOINT_CONCURRENCY: '2', WEBHOOK_CONCURRENCY: '8' },
    });
    cleanup.push(() => t.close());
    const hanging = await receiver(() => 'hang'); // accepts, never answers
    const healthy = await receiver();
    const closedPort = await receiver();
    await closedPort.close(); // nothing listens there any more: connection refused
    const types = ['object.created'];
    const dead = await createEndpoint(t, { url: hanging.url, eventTypes: types });
    const refused = await createEndpoint(t, { url: closedPort.url, eventTypes: types });
    const good = await createEndpoint(t, { url: healthy.url, eventTypes: types });

    // The dead endpoint's leases (sends in flight), sampled while the test runs.
    let maxLeased = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [r] = await t.testDb.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id
           WHERE w.euid = $1 AND d.status = 'pending' AND d.locked_until >= now()`, [dead.endpoint.id]);
        maxLeased = Math.max(maxLeased, Number(r.n));
        await new Promise((res) => setTimeout(res, 20));
      }
    })();

    const N = 20;
    for (let i = 0; i < N; i++) await create(t, { templateCode: GDNA });
    await waitFor(() => new Set(healthy.receipts.map((r) => r.headers['webhook-id'])).size === N, `the healthy endpoint to receive all ${N} events`);
    // Meanwhile the dead endpoint is still being retried, never more than its cap at once.
    expect(await pendingCount(t, dead.endpoint.id)).toBeGreaterThan(0);
    sampling = false;
    await sampler;
    expect(maxLeased).toBeGreaterThan(0);
    expect(maxLeased).toBeLessThanOrEqual(2); // WEBHOOK_ENDPOINT_CONCURRENCY
    expect(healthy.receipts).toHaveLength(N);
    await waitFor(async () => {
      const [r] = await t.testDb.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id WHERE w.euid = $1 AND d.status = 'delivered'`, [good.endpoint.id]);
      return Number(r.n) === N;
    }, 'all healthy rows recorded as delivered');
    const [refusedRow] = await t.testDb.db.query<{ last_error: string | null }>(
      `SELECT last_error FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id WHERE w.euid = $1 AND d.attempts > 0 LIMIT 1`, [refused.endpoint.id]);
    expect(refusedRow?.last_error).toMatch(/network error: ECONNREFUSED/);
    await disableEndpoint(t, dead.endpoint.id);
    await disableEndpoint(t, refused.endpoint.id);
    await hanging.close();
  });
});

describe('two gateway instances on one database', () => {
  it('deliver each delivery row exactly once when the receiver answers 200', async () => {
    const env = { ...WEBHOOK_ENV, WEBHOOK_POLL_MS: '10', WEBHOOK_ENDPOINT_CONCURRENCY: '8' };
    const a = await startTestGateway({ env });
    cleanup.push(() => a.close());
    // On PostgreSQL the second instance gets its own connection pool, as a second process would.
    const second = usingPostgres ? await openPostgres(a.testDb.url!, 10) : a.testDb.db;
    if (usingPostgres) cleanup.push(() => second.close());
    const b = await startTestGateway({ env, testDb: { db: second, url: a.testDb.url, drop: async () => undefined } });
    cleanup.push(() => b.close());
    const rx = await receiver(async () => {
      await new Promise((r) => setTimeout(r, 5)); // a little latency, so both workers are busy at once
      return { status: 200 };
    });
    const ep = await createEndpoint(a, { url: rx.url, eventTypes: ['object.created', 'content.created'] });

    const N = 40;
    for (let i = 0; i < N; i++) await create(i % 2 ? a : b, { templateCode: GDNA });
    const expected = 2 * N; // object.created + content.created per object
    await waitFor(async () => {
      const [r] = await a.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'delivered'`);
      return Number(r.n) === expected;
    }, `${expected} delivered rows`, 20_000);
    await a.gateway.events.webhooks.drain();
    await b.gateway.events.webhooks.drain();

    const perDelivery = new Map<string, number>();
    for (const r of rx.receipts) perDelivery.set(r.headers['x-labgraph-delivery'], (perDelivery.get(r.headers['x-labgraph-delivery']) ?? 0) + 1);
    expect(rx.receipts).toHaveLength(expected);
    expect(perDelivery.size).toBe(expected);
    expect([...perDelivery.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(rx.receipts.map((r) => r.headers['webhook-id'])).size).toBe(expected);
    const rows = await a.testDb.db.query<{ attempts: number }>(`SELECT attempts FROM webhook_delivery`);
    expect(rows.every((r) => Number(r.attempts) === 1)).toBe(true);
    await disableEndpoint(a, ep.endpoint.id);
  });
});

describe('stopping the worker', () => {
  it('waits a bounded time for a hanging send, then aborts it and releases its lease (the row is sent again later)', async () => {
    const t = await startTestGateway({ env: { ...WEBHOOK_ENV, WEBHOOK_TIMEOUT_MS: '60000' } });
    cleanup.push(() => t.close());
    const hanging = await receiver(() => 'hang');
    const ep = await createEndpoint(t, { url: hanging.url, eventTypes: ['webhook.test'] });
    const r = await t.gql<{ testWebhookEndpoint: { deliveryId: string } }>(`mutation($id: ID!) { testWebhookEndpoint(id: $id) { deliveryId } }`, { id: ep.endpoint.id });
    const deliveryId = r.data!.testWebhookEndpoint.deliveryId;
    await waitFor(() => hanging.receipts.length === 1, 'the request to arrive');
    await t.gateway.events.webhooks.stop();
    const [row] = await t.testDb.db.query<{ status: string; attempts: number; locked_until: Date | null }>(
      `SELECT status, attempts, locked_until FROM webhook_delivery WHERE delivery_id = $1`, [deliveryId]);
    expect(row).toMatchObject({ status: 'pending', locked_until: null });
    expect(Number(row.attempts)).toBe(0);
    await hanging.close();
  });
});
