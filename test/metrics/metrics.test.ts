import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { GDNA, create } from '../helpers/fixtures.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t?.close();
});

const scrape = async () => {
  const r = await fetch(`${t.url}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toContain('text/plain');
  return r.text();
};

/** The value of one sample line, e.g. metric{a="b"} 3 */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('counts requests per GraphQL operation and REST route, with latency buckets', async () => {
    ok(await t.gql(`query ListThem { objects(first: 1) { totalCount } }`));
    ok(await t.gql(`query ListThem { objects(first: 1) { totalCount } }`));
    await create(t, { templateCode: GDNA });
    const rest = await fetch(`${t.url}/api/v1/objects/?page_size=1`, { headers: adminAuth });
    expect(rest.status).toBe(200);
    const text = await scrape();
    expect(sample(text, 'labgraph_request_duration_seconds_count', { door: 'graphql', operation: 'ListThem', status: '200' })).toBe(2);
    expect(sample(text, 'labgraph_request_duration_seconds_count', { door: 'graphql', operation: 'mutation_createObject', status: '200' })).toBe(1);
    expect(sample(text, 'labgraph_request_duration_seconds_count', { door: 'rest', operation: '/api/v1/objects', status: '200' })).toBe(1);
    expect(sample(text, 'labgraph_request_duration_seconds_bucket', { door: 'graphql', operation: 'ListThem', le: '+Inf' })).toBe(2);
  });

  it('reports idempotency replays, outbox lag, webhook deliveries by state, subscriptions and the pool', async () => {
    const q = `mutation { createObject(input: { templateCode: "${GDNA}" }) { id } }`;
    ok(await t.gql(q, {}, { 'idempotency-key': 'metrics-1' }));
    ok(await t.gql(q, {}, { 'idempotency-key': 'metrics-1' }));
    await t.gateway.events.dispatcher.drain();
    const text = await scrape();
    expect(sample(text, 'labgraph_idempotency_replays_total', { door: 'graphql' })).toBe(1);
    expect(sample(text, 'labgraph_outbox_pending_events')).toBe(0);
    expect(sample(text, 'labgraph_outbox_lag_seconds')).toBe(0);
    expect(sample(text, 'labgraph_webhook_deliveries', { state: 'dead_letter' })).toBe(0);
    expect(sample(text, 'labgraph_open_subscriptions')).toBe(0);
    expect(sample(text, 'labgraph_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
  });

  it('bounds operation-name labels: names that are not identifiers become "other"', async () => {
    ok(await t.gql(`query { me { id } }`));
    const text = await scrape();
    expect(sample(text, 'labgraph_request_duration_seconds_count', { door: 'graphql', operation: 'query_me' })).toBe(1);
    expect(text).not.toContain('Bearer');
  });
});
