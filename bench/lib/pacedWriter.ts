// P5's writer, in a process of its own (`node --import tsx bench/lib/pacedWriter.ts`) so
// that the moment a response arrives is not delayed by the gateway's own event loop.
// Sends `count` createObject mutations open-loop at `ratePerSec` (request i leaves at
// start + i/rate whether or not earlier ones have returned) over keep-alive HTTP and
// records, per write, when it was sent and when its response had fully arrived, on the
// clock the subscriber process uses (sharedNow()).
//
// stdin: {type:'run', url, headers, query, templateCode, externalIdPrefix, count, ratePerSec, timeCapMs}
// stdout: {type:'ready'} as the first request leaves, then {type:'result', writes: […], …}
import http from 'node:http';
import { emit, readCommands, sharedNow, type ChildMessage } from './child.js';

interface Run {
  url: string;
  headers: Record<string, string>;
  query: string;
  templateCode: string;
  externalIdPrefix: string;
  count: number;
  ratePerSec: number;
  timeCapMs: number;
  requestTimeoutMs?: number;
}

export interface Write {
  i: number;
  sentAt: number;
  respondedAt: number;
  status: number;
  euid: string | null;
  error: string | null;
}

function post(agent: http.Agent, base: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: base.hostname, port: base.port, method: 'POST', path: '/graphql', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

async function run(r: Run) {
  const base = new URL(r.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const interval = 1000 / r.ratePerSec;
  const writes: Write[] = [];
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  const deadline = t0 + r.timeCapMs;
  let capped = false;
  emit({ type: 'ready' });
  for (let i = 0; i < r.count; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    if (performance.now() >= deadline) {
      capped = true;
      break;
    }
    const body = JSON.stringify({ query: r.query, variables: { input: { templateCode: r.templateCode, externalId: `${r.externalIdPrefix}-${i}` } } });
    const sentAt = sharedNow();
    inflight.push(
      post(agent, base, r.headers, body, r.requestTimeoutMs ?? 30_000).then(
        (res) => {
          const respondedAt = sharedNow();
          let euid: string | null = null;
          let error: string | null = null;
          try {
            const doc = JSON.parse(res.body) as { data?: { createObject?: { euid?: string } }; errors?: { message?: string; extensions?: { code?: string } }[] };
            euid = doc.data?.createObject?.euid ?? null;
            if (doc.errors?.length) error = `${doc.errors[0].extensions?.code ?? ''} ${doc.errors[0].message ?? ''}`.trim();
          } catch {
            error = `HTTP ${res.status} ${res.body.slice(0, 200)}`;
          }
          if (!error && (res.status < 200 || res.status >= 300)) error = `HTTP ${res.status}`;
          writes.push({ i, sentAt, respondedAt, status: res.status, euid, error });
        },
        (err: unknown) => {
          writes.push({ i, sentAt, respondedAt: sharedNow(), status: 0, euid: null, error: (err as Error).message });
        },
      ),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  writes.sort((a, b) => a.i - b.i);
  emit({ type: 'result', writes, capped, elapsedMs: Math.round(performance.now() - t0) });
}

readCommands(
  async (m: ChildMessage) => {
    if (m.type === 'run') await run(m as unknown as Run);
  },
  () => process.exit(0),
);
