// kill -9 in the middle of a stream of writes: every committed event still reaches
// the webhook receiver at least once (transactional outbox + delivery rows).
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';

const KEY = 'crash-test-bootstrap-admin-key-0123456789';
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const TOTAL = 2000;

function startGatewayProcess(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LABGRAPH_BOOTSTRAP_ADMIN_KEY: KEY,
      RATE_LIMIT_MAX: '0',
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.2,0.2,0.2,0.2,0.2,0.2',
      WEBHOOK_POLL_MS: '100',
      WEBHOOK_ENDPOINT_CONCURRENCY: '1',
      OUTBOX_POLL_MS: '200',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`gateway exited ${code}: ${out}`)));
  });
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: auth, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
}

let testDb: TestDatabase | undefined;
const children: ChildProcess[] = [];
let receiver: http.Server | undefined;
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  await testDb?.drop();
});

describe.skipIf(!usingPostgres)('crash safety (PostgreSQL)', () => {
  it('loses no event when the gateway is killed with SIGKILL mid-stream', { timeout: 300_000 }, async () => {
    testDb = await freshDatabase();
    const received = new Set<string>();
    let hits = 0;
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        hits++;
        received.add(String(req.headers['webhook-id']));
        setTimeout(() => res.writeHead(200).end('ok'), 20); // a slow receiver (≤ 50/s): deliveries lag behind writes
      });
    });
    await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', () => r()));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    let gw = await startGatewayProcess(testDb.url!);
    children.push(gw.child);
    const ep = await gql(gw.url, `mutation($url: String!) { createWebhookEndpoint(input: { url: $url, eventTypes: ["object.created"] }) { endpoint { id } } }`, { url: receiverUrl });
    expect(ep.errors).toBeUndefined();

    // Writes with concurrency 8; at the half-way mark the gateway is killed, the rest go to its successor.
    let next = 0;
    let done = 0;
    let killed = false;
    let backlogAtKill = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        for (let attempt = 0; attempt < 200; attempt++) {
          const url = gw.url;
          try {
            const r = await gql(url, `mutation($e: String!) { createObject(input: { templateCode: "content/sample/gdna/1.0", externalId: $e }) { id } }`, { e: `CRASH-${i}` });
            // after a crash the retry may meet its own committed row: that is the same event, already in the outbox
            if (!r.errors || JSON.stringify(r.errors).includes('external_id_already_exists')) break;
          } catch {
            await new Promise((res) => setTimeout(res, 100)); // connection refused while restarting
          }
        }
        done++;
        if (done === TOTAL / 2 && !killed) {
          killed = true;
          backlogAtKill = done - received.size;
          gw.child.kill('SIGKILL');
          gw = await startGatewayProcess(testDb!.url!);
          children.push(gw.child);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(killed).toBe(true);
    expect(backlogAtKill).toBeGreaterThan(100); // the kill really cut off undelivered events

    const rows = await testDb.db.query<{ event_id: string }>(`SELECT event_id FROM outbox_event WHERE type = 'object.created'`);
    expect(rows).toHaveLength(TOTAL);
    const expected = new Set(rows.map((r) => r.event_id));
    for (let i = 0; i < 1200 && [...expected].some((id) => !received.has(id)); i++) await new Promise((r) => setTimeout(r, 100));
    const lost = [...expected].filter((id) => !received.has(id));
    console.info(`[crash] ${TOTAL} events, ${backlogAtKill} undelivered at the kill, ${received.size} distinct received, ${hits} deliveries (duplicates ${hits - received.size}), lost ${lost.length}`);
    expect(lost).toEqual([]);
  });
});
