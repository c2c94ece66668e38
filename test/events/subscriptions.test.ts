import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { ADMIN_KEY, ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';
import { GDNA, create, link } from '../helpers/fixtures.js';
import { pruneOutbox } from '../../src/events/outbox/prune.js';

interface Ev { id: string; type: string; euid: string | null; externalId: string | null; data: Record<string, unknown> }

const EVENT_FIELDS = 'id type euid externalId data';

function client(t: TestGateway, authorization: string | null = `Bearer ${ADMIN_KEY}`): Client {
  return createClient({
    url: t.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Collects events of one subscription; `until(n)` waits (bounded) for n of them. */
function collect(c: Client, query: string, variables: Record<string, unknown> = {}) {
  const events: Ev[] = [];
  const errors: unknown[] = [];
  let resolveWaiter: (() => void) | null = null;
  let want = 0;
  const dispose = c.subscribe<{ events?: Ev; objectChanged?: Ev }>(
    { query, variables },
    {
      next: (r) => {
        if (r.errors) errors.push(...r.errors);
        const e = r.data?.events ?? r.data?.objectChanged;
        if (e) events.push(e);
        if (resolveWaiter && events.length >= want) resolveWaiter();
      },
      error: (err) => {
        errors.push(err);
        resolveWaiter?.();
      },
      complete: () => resolveWaiter?.(),
    },
  );
  return {
    events,
    errors,
    dispose,
    async until(n: number, ms = 10_000) {
      want = n;
      if (events.length >= n) return;
      await Promise.race([
        new Promise<void>((r) => (resolveWaiter = r)),
        new Promise<void>((r) => setTimeout(r, ms)),
      ]);
    },
  };
}

const sub = (filter = '{}', after?: string) =>
  `subscription { events(filter: ${filter}${after ? `, after: "${after}"` : ''}) { ${EVENT_FIELDS} } }`;

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ env: { OUTBOX_POLL_MS: '50' } });
});
afterAll(async () => {
  await t?.close();
});

describe('authentication in connection_init', () => {
  it('closes the socket with 4401 without a credential or with a bad one', async () => {
    for (const auth of [null, 'Bearer lgk_nope', `Bearer ${'x'.repeat(40)}`]) {
      const c = client(t, auth);
      const s = collect(c, sub());
      await s.until(1, 5000);
      const err = s.errors[0] as { code?: number };
      expect(err?.code, String(auth)).toBe(4401);
      await c.dispose();
    }
  });

  it('refuses a credential without objects:read (FORBIDDEN), before anything is sent', async () => {
    const acct = ok(await t.gql(`mutation { createServiceAccount(input: { name: "tokens-only", role: "READ_ONLY" }) { id } }`)).createServiceAccount.id;
    const key = ok(await t.gql(`mutation($id: ID!) { createApiKey(input: { accountId: $id, scopes: ["tokens:self"] }) { token } }`, { id: acct })).createApiKey.token;
    const c = client(t, `Bearer ${key}`);
    const s = collect(c, sub());
    await s.until(1, 5000);
    expect(JSON.stringify(s.errors)).toContain('FORBIDDEN');
    expect(s.events).toHaveLength(0);
    await c.dispose();
  });
});

describe('events', () => {
  it('delivers a committed write with the outbox event id, filtered by type', async () => {
    const c = client(t);
    const s = collect(c, sub('{ types: ["object.created"] }'));
    await new Promise((r) => setTimeout(r, 300));
    const euid = await create(t, { templateCode: GDNA, externalId: 'SUB-1' });
    await s.until(1);
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({ type: 'object.created', euid, externalId: 'SUB-1' });
    const [row] = await t.testDb.db.query<{ event_id: string }>(`SELECT event_id FROM outbox_event WHERE euid = $1 AND type = 'object.created'`, [euid]);
    expect(s.events[0].id).toBe(row.event_id);
    s.dispose();
    await c.dispose();
  });

  it('filters by EUID, external id and lineage subtree before execution', async () => {
    const root = await create(t, { templateCode: GDNA });
    const child = await create(t, { templateCode: GDNA });
    const grandchild = await create(t, { templateCode: GDNA });
    const other = await create(t, { templateCode: GDNA, externalId: 'SUB-X' });
    await link(t, root, child);
    await link(t, child, grandchild);
    // Live subscriptions get what is published after they start; under load the events
    // above could still be in the outbox, so publish them first (the second round starts
    // after every write above committed).
    await t.gateway.events.dispatcher.drain();
    await t.gateway.events.dispatcher.drain();
    const c = client(t);
    const byEuid = collect(c, `subscription { objectChanged(euid: "${grandchild}") { ${EVENT_FIELDS} } }`);
    const byExt = collect(c, sub('{ externalIds: ["SUB-X"] }'));
    const subtree = collect(c, sub(`{ descendantOf: "${root}", types: ["object.updated"] }`));
    await new Promise((r) => setTimeout(r, 500));
    for (const e of [grandchild, other, child, root]) {
      ok(await t.gql(`mutation($e: ID!) { updateObject(euid: $e, input: { status: "in_use" }) { id } }`, { e }));
    }
    const newChild = await create(t, { templateCode: GDNA });
    await link(t, grandchild, newChild, 'aliquot'); // an event about an edge concerns both its ends
    await subtree.until(3);
    await byEuid.until(2);
    await byExt.until(1);
    expect(subtree.events.map((e) => e.euid).sort()).toEqual([grandchild, child, root].sort());
    expect(byEuid.events.map((e) => e.type)).toEqual(['object.updated', 'lineage.created']);
    expect(byEuid.events[0].euid).toBe(grandchild);
    expect(byEuid.events[1].data).toMatchObject({ parentEuid: grandchild, childEuid: newChild, relationshipType: 'aliquot' });
    expect(byExt.events.map((e) => [e.type, e.euid])).toEqual([['object.updated', other]]);
    await c.dispose();
  });

  it('does not send lineage events to a caller without lineage:read', async () => {
    const acct = ok(await t.gql(`mutation { createServiceAccount(input: { name: "objects-only", role: "READ_WRITE" }) { id } }`)).createServiceAccount.id;
    const key = ok(await t.gql(`mutation($id: ID!) { createApiKey(input: { accountId: $id, scopes: ["objects:read"] }) { token } }`, { id: acct })).createApiKey.token;
    const c = client(t, `Bearer ${key}`);
    const s = collect(c, sub());
    await new Promise((r) => setTimeout(r, 500));
    const a = await create(t, { templateCode: GDNA });
    const b = await create(t, { templateCode: GDNA });
    await link(t, a, b);
    const marker = await create(t, { templateCode: GDNA });
    // 3 creates × (object.created + content.created); the marker's come after the link's would have
    await s.until(6);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.events.some((e) => e.euid === marker)).toBe(true);
    expect(s.events).toHaveLength(6);
    expect(s.events.filter((e) => e.type.startsWith('lineage.'))).toEqual([]);
    await c.dispose();
  });
});

describe('shared execution across subscribers', () => {
  it('gives each document its own result shape for the same event', async () => {
    const c = client(t);
    const narrow = collect(c, `subscription { events(filter: { types: ["object.created"] }) { id type } }`);
    const wide = collect(c, `subscription { events(filter: { types: ["object.created"] }) { id euid externalId } }`);
    const same = collect(c, `subscription { events(filter: { types: ["object.created"] }) { id type } }`);
    await new Promise((r) => setTimeout(r, 300));
    const euid = await create(t, { templateCode: GDNA, externalId: 'SHARED-1' });
    await Promise.all([narrow.until(1), wide.until(1), same.until(1)]);
    expect(Object.keys(narrow.events[0]).sort()).toEqual(['id', 'type']);
    expect(wide.events[0]).toEqual({ id: narrow.events[0].id, euid, externalId: 'SHARED-1' });
    expect(same.events[0]).toEqual(narrow.events[0]);
    await c.dispose();
  });
});

describe('resume with after', () => {
  it('sends exactly the events missed while disconnected, in order, then live ones', async () => {
    const c1 = client(t);
    const first = collect(c1, sub('{ types: ["object.created"] }'));
    await new Promise((r) => setTimeout(r, 300));
    await create(t, { templateCode: GDNA });
    await first.until(1);
    const lastSeen = first.events[0].id;
    await c1.dispose();

    const missed: string[] = [];
    for (let i = 0; i < 50; i++) missed.push(await create(t, { templateCode: GDNA, externalId: `MISSED-${i}` }));
    await t.gateway.events.dispatcher.drain();

    const c2 = client(t);
    const resumed = collect(c2, sub('{ types: ["object.created"] }', lastSeen));
    await resumed.until(50);
    expect(resumed.events.map((e) => e.euid)).toEqual(missed);
    const live = await create(t, { templateCode: GDNA });
    await resumed.until(51);
    expect(resumed.events).toHaveLength(51);
    expect(resumed.events[50].euid).toBe(live);
    expect(new Set(resumed.events.map((e) => e.id)).size).toBe(51);
    await c2.dispose();
  });

  it('refuses an id pruned past the retention window', async () => {
    const euid = await create(t, { templateCode: GDNA });
    await t.gateway.events.dispatcher.drain();
    const [row] = await t.testDb.db.query<{ event_id: string }>(`SELECT event_id FROM outbox_event WHERE euid = $1 LIMIT 1`, [euid]);
    await t.testDb.db.query(`UPDATE outbox_event SET dispatched_at = now() - interval '200 hours' WHERE event_id = $1`, [row.event_id]);
    expect(await pruneOutbox(t.testDb.db, 168)).toBeGreaterThanOrEqual(1);
    const c = client(t);
    const s = collect(c, sub('{}', row.event_id));
    await s.until(1, 5000);
    expect(JSON.stringify(s.errors)).toContain('event_cursor_expired');
    await c.dispose();
  });

  it('refuses an unknown cursor with a clear error', async () => {
    const c = client(t);
    const s = collect(c, sub('{}', 'evt_000000000000000000000000'));
    await s.until(1, 5000);
    expect(JSON.stringify(s.errors)).toContain('event_cursor_expired');
    await c.dispose();
  });
});

describe.skipIf(!process.env.REDIS_URL)('across instances (Redis)', () => {
  const prefix = `lgtest-${Math.random().toString(36).slice(2)}:`;
  let testDb: TestDatabase;
  let a: TestGateway;
  let b: TestGateway;
  beforeAll(async () => {
    testDb = await freshDatabase();
    const env = { REDIS_URL: process.env.REDIS_URL!, REDIS_KEY_PREFIX: prefix, OUTBOX_POLL_MS: '50' };
    a = await startTestGateway({ testDb, env });
    b = await startTestGateway({ testDb, env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await testDb?.drop();
  });

  it('a subscriber on instance B receives a write made on instance A, once', async () => {
    const c = client(b);
    const s = collect(c, sub('{ types: ["object.created"] }'));
    await new Promise((r) => setTimeout(r, 500));
    const euids = [];
    for (let i = 0; i < 5; i++) euids.push(await create(a, { templateCode: GDNA }));
    await s.until(5);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.events.map((e) => e.euid)).toEqual(euids);
    await c.dispose();
  });
  it('a gateway over another database, on the same Redis and REDIS_KEY_PREFIX, hears none of it (EUIDs repeat across databases)', async () => {
    const otherDb = await freshDatabase();
    const other = await startTestGateway({ testDb: otherDb, env: { REDIS_URL: process.env.REDIS_URL!, REDIS_KEY_PREFIX: prefix, OUTBOX_POLL_MS: '50' } });
    try {
      const c = client(other);
      const s = collect(c, sub('{ types: ["object.created"] }'));
      const cb = client(b);
      const mine = collect(cb, sub('{ types: ["object.created"] }'));
      await new Promise((r) => setTimeout(r, 500));
      const euid = await create(a, { templateCode: GDNA });
      await mine.until(1);
      const own = await create(other, { templateCode: GDNA });
      await s.until(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(mine.events.map((e) => e.euid)).toEqual([euid]);
      expect(s.events.map((e) => e.euid)).toEqual([own]);
      await c.dispose();
      await cb.dispose();
    } finally {
      await other.close();
      await otherDb.drop();
    }
  });
});
