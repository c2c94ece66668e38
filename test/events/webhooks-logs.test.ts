// Webhook secrets never reach the logs, even at trace level with no redaction:
// create, rotate, successful, failing, dead-lettered and 410 deliveries.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';
import { adminAuth, ok, testConfig, type TestGateway } from '../helpers/gateway.js';
import { WEBHOOK_ENV, createEndpoint, deliveries, sendTest, startReceiver, waitFor, type Receiver } from '../helpers/webhooks.js';

const lines: string[] = [];
let testDb: TestDatabase;
let gateway: Gateway;
let t: TestGateway;
let rx: Receiver;

beforeAll(async () => {
  testDb = await freshDatabase();
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  gateway = await startGateway(testConfig({ ...WEBHOOK_ENV }), { db: testDb.db, migrate: false, logger: pino({ level: 'trace' }, sink) });
  // Just enough of a TestGateway for the shared helpers.
  t = {
    gateway,
    testDb,
    url: gateway.url,
    async gql(query, variables = {}, headers = {}) {
      const res = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...adminAuth, ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: any };
      return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
    },
    close: async () => undefined,
  };
  rx = await startReceiver();
});

afterAll(async () => {
  await rx?.close();
  await gateway?.close();
  await testDb?.drop();
});

it('no secret in any log line', async () => {
  const secrets: string[] = [];
  rx.reply = (n) => (n < 4 ? { status: 500, body: 'nope' } : n === 4 ? { status: 200 } : { status: 410 });
  const { endpoint, secret } = await createEndpoint(t, { url: rx.url, eventTypes: ['webhook.test'] });
  secrets.push(secret);
  const rotated = ok(await t.gql<{ rotateWebhookSecret: { secret: string } }>(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id: endpoint.id }));
  secrets.push(rotated.rotateWebhookSecret.secret);

  const dead = await sendTest(t, endpoint.id); // 4 × 500: dead letter
  await waitFor(async () => (await deliveries(t, { endpointId: endpoint.id, status: 'dead_letter' })).length === 1, 'the dead letter');
  await sendTest(t, endpoint.id); // 200
  await waitFor(async () => (await deliveries(t, { endpointId: endpoint.id, status: 'delivered' })).length === 1, 'the delivery');
  await sendTest(t, endpoint.id); // 410: disabled
  await waitFor(async () => (await deliveries(t, { endpointId: endpoint.id, status: 'failed' })).length === 1, 'the 410');
  expect(dead.eventId).toMatch(/^evt_/);

  const all = lines.join('');
  expect(all).toMatch(/dead-lettered/);
  expect(all).toMatch(/410 Gone/);
  for (const s of secrets) {
    expect(all.includes(s)).toBe(false);
    expect(all.includes(s.slice(6))).toBe(false);
  }
});
