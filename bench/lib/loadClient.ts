// The load generator, run as its own process (`node --import tsx bench/lib/loadClient.ts`)
// so it never competes with the gateway for the bench process's event loop. Reads one
// LoadSpec as JSON on stdin, runs it, prints one LoadResult as JSON on stdout.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { add, round, summarize } from './stats.js';
import type { LoadResult, LoadSpec, RequestTemplate } from './types.js';

const MAX_SAMPLES = 5;

function fill(text: string, seq: string): string {
  if (!text.includes('{{')) return text;
  return text.replaceAll('{{seq}}', seq).replace(/\{\{uuid\}\}/g, () => randomUUID());
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(agent: http.Agent, base: URL, t: RequestTemplate, seq: string, timeoutMs: number): Promise<Reply> {
  const body = t.body === undefined ? undefined : fill(t.body, seq);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(t.headers ?? {})) headers[k] = fill(v, seq);
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: base.hostname, port: base.port, method: t.method, path: fill(t.path, seq), headers, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/** Failure code of a reply, or null when it is ok. */
function judge(spec: LoadSpec, r: Reply): { code: string; message: string } | null {
  const okStatus = r.status >= 200 && r.status < 300;
  if (spec.check === 'status' && okStatus) return null;
  let errors: { message?: string; extensions?: { code?: string } }[] | undefined;
  try {
    errors = (JSON.parse(r.body) as { errors?: typeof errors }).errors;
  } catch {
    errors = undefined;
  }
  if (okStatus && !errors?.length) return null;
  const first = errors?.[0];
  return {
    code: first?.extensions?.code ?? `HTTP_${r.status}`,
    message: `${r.status} ${first?.message ?? r.body.slice(0, 200)}`,
  };
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const base = new URL(spec.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const timeoutMs = spec.requestTimeoutMs ?? 30_000;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const errorCodes: Record<string, number> = {};
  const headerCounts: Record<string, number> = {};
  const errorSamples: string[] = [];
  let next = 0;
  let ok = 0;
  let failed = 0;
  let transportErrors = 0;
  let capped = false;

  process.stdout.write(`${JSON.stringify({ ready: true })}\n`); // the parent starts its gateway-side counters here
  const started = performance.now();
  const deadline = started + spec.timeCapMs;

  const worker = async () => {
    for (;;) {
      if (next >= spec.count) return;
      if (performance.now() >= deadline) {
        capped = true;
        return;
      }
      const i = next++;
      const template = spec.requests[i % spec.requests.length];
      const t0 = performance.now();
      try {
        const reply = await send(agent, base, template, `${spec.tag}-${i}`, timeoutMs);
        latencies.push(performance.now() - t0);
        add(statuses, String(reply.status));
        for (const h of spec.countHeaders ?? []) if (reply.headers[h] !== undefined) add(headerCounts, h);
        const bad = judge(spec, reply);
        if (bad) {
          failed++;
          add(errorCodes, bad.code);
          if (errorSamples.length < MAX_SAMPLES) errorSamples.push(bad.message);
        } else ok++;
      } catch (err) {
        transportErrors++;
        failed++;
        const code = (err as NodeJS.ErrnoException).code ?? 'TRANSPORT_ERROR';
        add(errorCodes, code);
        if (errorSamples.length < MAX_SAMPLES) errorSamples.push(`${code} ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  agent.destroy();

  const completed = latencies.length;
  return {
    tag: spec.tag,
    requested: next,
    completed,
    ok,
    failed,
    transportErrors,
    capped,
    elapsedMs: round(elapsedMs, 1),
    rps: round(completed / (elapsedMs / 1000), 1),
    latencyMs: summarize(latencies),
    statuses,
    errorCodes,
    errorSamples,
    headerCounts,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

readStdin()
  .then((text) => run(JSON.parse(text) as LoadSpec))
  .then((result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  })
  .catch((err: unknown) => {
    process.stderr.write(`load client: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
