// The SSRF guard: without an allow-list, URLs that are or resolve to loopback,
// private, link-local or unique-local addresses are refused at create/update
// (BAD_USER_INPUT) and again at delivery time (DNS may have changed since).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startReceiver, type Receiver } from '../helpers/webhooks.js';
import { AllowList, assertDeliverableUrl, isBlockedAddress, SsrfError } from '../../src/events/webhooks/ssrf.js';
import { encryptSecret, encryptionKey, generateSecret } from '../../src/events/webhooks/secrets.js';
import { guardedLookup, webhookAgent } from '../../src/events/webhooks/pinnedAgent.js';
import { sendAttempt } from '../../src/events/webhooks/send.js';

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '0.0.0.0', '100.64.0.1',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.1.2.3', 'ff02::1',
  ])('refuses %s', (ip) => expect(isBlockedAddress(ip)).toBe(true));

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('allows %s', (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });
});

describe('assertDeliverableUrl', () => {
  const none = new AllowList([]);
  const resolvesTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses non-http(s) schemes and credentials', async () => {
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)']) {
      await expect(assertDeliverableUrl(url, { allow: none }), url).rejects.toThrow(SsrfError);
    }
    await expect(assertDeliverableUrl('https://u:p@example.com/', { allow: none, lookup: resolvesTo('93.184.216.34') })).rejects.toThrow(/credentials/);
  });

  it('refuses a host when any address it resolves to is internal', async () => {
    await expect(assertDeliverableUrl('https://rebind.example/', { allow: none, lookup: resolvesTo('93.184.216.34', '10.0.0.5') })).rejects.toThrow(/10\.0\.0\.5/);
    await expect(assertDeliverableUrl('https://ok.example/', { allow: none, lookup: resolvesTo('93.184.216.34') })).resolves.toBeInstanceOf(URL);
    await expect(assertDeliverableUrl('http://[::1]:8080/', { allow: none })).rejects.toThrow(SsrfError);
    await expect(assertDeliverableUrl('http://2130706433/', { allow: none })).rejects.toThrow(/127\.0\.0\.1/); // 127.0.0.1 as an integer
    await expect(assertDeliverableUrl('http://nowhere.invalid/', { allow: none, lookup: async () => { throw Object.assign(new Error('x'), { code: 'ENOTFOUND' }); } }))
      .rejects.toThrow(/does not resolve/);
  });

  it('with resolveNames: false leaves names to the connection, still refusing IP literals', async () => {
    const never = async () => {
      throw new Error('must not resolve');
    };
    await expect(assertDeliverableUrl('http://hooks.example/', { allow: none, lookup: never, resolveNames: false })).resolves.toBeInstanceOf(URL);
    await expect(assertDeliverableUrl('http://127.0.0.1:9/', { allow: none, lookup: never, resolveNames: false })).rejects.toThrow(SsrfError);
    await expect(assertDeliverableUrl('ftp://hooks.example/', { allow: none, lookup: never, resolveNames: false })).rejects.toThrow(/scheme/);
  });

  it('allow-lists hostnames, IPs and CIDRs', async () => {
    await expect(assertDeliverableUrl('http://hooks.internal/', { allow: new AllowList(['hooks.internal']), lookup: resolvesTo('10.1.2.3') })).resolves.toBeInstanceOf(URL);
    await expect(assertDeliverableUrl('http://hooks.internal/', { allow: new AllowList(['10.1.0.0/16']), lookup: resolvesTo('10.1.2.3') })).resolves.toBeInstanceOf(URL);
    await expect(assertDeliverableUrl('http://hooks.internal/', { allow: new AllowList(['10.2.0.0/16']), lookup: resolvesTo('10.1.2.3') })).rejects.toThrow(SsrfError);
    await expect(assertDeliverableUrl('http://localhost:1/', { allow: new AllowList(['127.0.0.1']), lookup: resolvesTo('127.0.0.1') })).resolves.toBeInstanceOf(URL);
    await expect(assertDeliverableUrl('http://localhost:1/', { allow: new AllowList(['127.0.0.1']), lookup: resolvesTo('127.0.0.1', '::1') })).rejects.toThrow(/::1/);
  });
});

describe('a gateway without WEBHOOK_ALLOW_HOSTS', () => {
  let t: TestGateway;
  let rx: Receiver;

  beforeAll(async () => {
    t = await startTestGateway({ env: { WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.2' } });
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx?.close();
    await t?.close();
  });

  const createWith = (url: string) =>
    t.gql(`mutation($url: String!) { createWebhookEndpoint(input: { url: $url, eventTypes: ["object.created"] }) { secret endpoint { id } } }`, { url });

  it('refuses loopback, link-local, private and non-http URLs with BAD_USER_INPUT', async () => {
    for (const url of [rx.url, 'http://localhost:8080/hook', 'http://[::1]/hook', 'http://169.254.169.254/', 'http://10.0.0.1/', 'http://172.20.0.1/', 'http://192.168.1.1/', 'http://0.0.0.0/', 'ftp://example.com/']) {
      const r = await createWith(url);
      expect(r.errors?.[0].extensions?.code, url).toBe('BAD_USER_INPUT');
      expect(r.data ?? null, url).toBeNull();
    }
    expect((await createWith(rx.url)).errors?.[0].message).toMatch(/WEBHOOK_ALLOW_HOSTS/);
    const [n] = await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_endpoint`);
    expect(Number(n.n)).toBe(0);
  });

  it('re-checks the URL at delivery time: an endpoint that now points at 127.0.0.1 gets no request', async () => {
    // As if the endpoint had been registered while its host resolved elsewhere (DNS rebinding).
    const [ep] = await t.testDb.db.query<{ id: number }>(
      `INSERT INTO webhook_endpoint (euid, url, event_types, secret, updated_at) VALUES ('BWH-REBIND', $1, ARRAY['webhook.test'], $2, now()) RETURNING id`,
      [rx.url, encryptSecret(generateSecret(), encryptionKey(undefined))],
    );
    await t.testDb.db.query(
      `INSERT INTO webhook_delivery (delivery_id, endpoint_id, event_id, event_type, payload) VALUES ('dlv_${'a'.repeat(32)}', $1, 'evt_${'b'.repeat(24)}', 'webhook.test', '{}')`,
      [ep.id],
    );
    await t.gateway.events.webhooks.drain();
    const [row] = await t.testDb.db.query<{ status: string; attempts: number; last_error: string; last_status: number | null }>(
      `SELECT status, attempts, last_error, last_status FROM webhook_delivery WHERE endpoint_id = $1`, [ep.id]);
    expect(row.attempts).toBeGreaterThanOrEqual(1);
    expect(row.last_status).toBeNull();
    expect(row.last_error).toMatch(/^ssrf_refused: .*127\.0\.0\.1/);
    expect(rx.receipts).toHaveLength(0);
  });
});

describe('the connect-time guard (a name that rebinds between the check and the connection)', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx?.close();
  });

  // The name passed the URL check while public; by the time the socket dials it, it points at loopback.
  const rebound = async () => [{ address: '127.0.0.1', family: 4 }];
  const urlOf = (host: string) => rx.url.replace('127.0.0.1', host);

  it('refuses to dial an internal address the name now resolves to', async () => {
    const agent = webhookAgent(new AllowList([]), rebound);
    try {
      const r = await sendAttempt(urlOf('hooks.rebind.test'), { 'content-type': 'application/json' }, '{}', 2000, undefined, agent);
      expect(r.ok).toBe(false);
      expect(r.status).toBeNull();
      expect(r.error).toMatch(/^ssrf_refused: hooks\.rebind\.test resolves to a loopback/);
      expect(rx.receipts).toHaveLength(0);
    } finally {
      await agent.destroy();
    }
  });

  it('dials it when the allow-list covers the address, proving the pinned lookup is the one used', async () => {
    const agent = webhookAgent(new AllowList(['127.0.0.0/8']), rebound);
    try {
      const r = await sendAttempt(urlOf('hooks.rebind.test'), { 'content-type': 'application/json' }, '{"x":1}', 2000, undefined, agent);
      expect(r).toMatchObject({ ok: true, status: 200 });
      expect(rx.receipts.at(-1)?.body).toBe('{"x":1}');
    } finally {
      await agent.destroy();
    }
  });

  it('filters a mixed answer down to the allowed addresses', async () => {
    const lookup = guardedLookup(new AllowList([]), async () => [{ address: '10.0.0.7', family: 4 }, { address: '93.184.216.34', family: 4 }]);
    const got = await new Promise<unknown>((resolve, reject) =>
      lookup('mixed.test', { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
    expect(got).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });
});
