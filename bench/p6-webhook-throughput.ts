// P6 (issues 5 and 7): webhook deliveries per second to a local receiver, with one dead
// endpoint present. Goal ≥ 500/s. No baseline: the figures are absolute.
//
// The receiver (bench/lib/webhookReceiver.ts, its own process) answers 200 at once and
// counts distinct webhook-id headers. The dead endpoint is a port on 127.0.0.1 nothing
// listens on (connection refused), or with --hang=1 a server that accepts and never
// answers (each attempt then holds a delivery slot until WEBHOOK_TIMEOUT_MS). Both
// endpoints are created through GraphQL as ADMIN and subscribe to object.created;
// events come from createObject over HTTP (the load client, concurrency 8).
//
// Two phases:
//   live     the delivery worker runs while the events are produced: deliveries/s from
//            the first to the last receipt, and the time from the first write to the
//            last receipt. Bounded by how fast createObject commits.
//   backlog  (--backlog=N events, default 1000; 0 skips it; skipped too when the time
//            cap would not leave room) the gateway's delivery worker is stopped, N more
//            events are produced and dispatched, then a delivery worker is started
//            again (the same startDeliveryWorker the gateway uses, same config) and the
//            drain of the backlog is timed: the delivery path's own capacity.
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { authHeaders, startBenchGateway, type BenchGateway } from './lib/gateway.js';
import { measure } from './lib/runLoad.js';
import { sharedNow, spawnJsonChild, type ChildMessage, type JsonChild } from './lib/child.js';
import { round } from './lib/stats.js';
import { startDeliveryWorker, type DeliveryWorker } from '../src/events/webhooks/deliveryWorker.js';
import type { Benchmark, Ratio, RequestTemplate, Run, SideSummary } from './lib/types.js';

const RECEIVER = fileURLToPath(new URL('./lib/webhookReceiver.ts', import.meta.url));
const TEMPLATE = 'content/sample/gdna/1.0';
const MUTATION = 'mutation P6Create($input: CreateObjectInput!) { createObject(input: $input) { euid } }';
const CREATE_ENDPOINT = 'mutation P6Endpoint($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id url active } secret } }';

interface PhaseResult extends ChildMessage {
  name: string;
  startedAt: number;
  distinct: number;
  requests: number;
  duplicates: number;
  missingId: number;
  nonPost: number;
  firstAt: number | null;
  lastAt: number | null;
  expectedAt: number | null;
  maxGapMs: number;
  gapsOver250ms: number;
  perSecondMax: number | null;
  perSecondMin: number | null;
  hangRequests: number;
  perSecond: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

const create = (prefix: string): RequestTemplate => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json', ...authHeaders },
  body: JSON.stringify({ query: MUTATION, operationName: 'P6Create', variables: { input: { templateCode: TEMPLATE, externalId: `${prefix}-{{seq}}` } } }),
});

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function gql<T>(gw: BenchGateway, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders },
    body: JSON.stringify({ query, variables }),
  });
  const doc = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (!res.ok || doc.errors?.length || !doc.data) throw new Error(`GraphQL failed: ${res.status} ${doc.errors?.map((e) => `${e.extensions?.code ?? ''} ${e.message}`).join('; ') ?? ''}`);
  return doc.data;
}

const num = (v: number | null | undefined) => (v === null || v === undefined ? NaN : v);
/** Mean receipts per second over the first and the last 5 whole seconds of a phase (does the rate hold up?). */
const trend = (p: PhaseResult) => {
  const full = (p.perSecond ?? []).slice(0, -1);
  if (full.length < 10) return '';
  const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  return `; first 5 s ${mean(full.slice(0, 5))}/s, last 5 s ${mean(full.slice(-5))}/s`;
};
/** Deliveries per second between the first and the last new id of a phase. */
const spanRate = (p: PhaseResult) => (p.distinct > 1 ? (p.distinct - 1) / ((num(p.lastAt) - num(p.firstAt)) / 1000) : NaN);

export const p6: Benchmark = {
  id: 'P6',
  title: 'webhook deliveries/s to a local receiver, one dead endpoint present',
  baseline: '— (absolute figures)',
  goal: '≥ 500 deliveries/s',
  async run(ctx) {
    const started = Date.now();
    const opt = {
      events: ctx.option('events', 2000),
      concurrency: ctx.option('concurrency', 8),
      warmup: ctx.option('warmup', 100),
      backlog: ctx.option('backlog', 1000),
      hang: ctx.option('hang', 0),
      dead: ctx.option('dead', 1),
      drainSeconds: ctx.option('drain', 30),
      capSeconds: ctx.option('cap', 120),
    };
    const deadline = performance.now() + opt.capSeconds * 1000;
    const remaining = () => deadline - performance.now();
    const warnings: string[] = [];
    const children: JsonChild[] = [];
    let worker2: DeliveryWorker | undefined;

    const receiver = spawnJsonChild(RECEIVER, opt.capSeconds * 1000 + 30_000);
    children.push(receiver);
    receiver.send({ type: 'start', hang: opt.hang > 0 });
    const ready = await receiver.next<ChildMessage & { port: number; hangPort: number | null }>('ready', 20_000);
    const healthyUrl = `http://127.0.0.1:${ready.port}/hook`;
    const deadUrl = opt.hang > 0 ? `http://127.0.0.1:${ready.hangPort}/never-answers` : `http://127.0.0.1:${await closedPort()}/nothing-listens`;

    const gw = await startBenchGateway({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1', RATE_LIMIT_MAX: '0' });
    try {
      const cfg = gw.gateway.config.webhooks;
      ctx.log(`gateway ${gw.url} on ${gw.database.mode} (${gw.database.version}); healthy ${healthyUrl}, dead ${deadUrl}; `
        + `WEBHOOK_CONCURRENCY ${cfg.concurrency}, per endpoint ${cfg.endpointConcurrency}, poll ${cfg.pollMs} ms, timeout ${cfg.timeoutMs} ms, retries ${cfg.retrySchedule.join(',')} s`);
      type Created = { createWebhookEndpoint: { endpoint: { id: string; url: string; active: boolean }; secret: string } };
      const healthy = (await gql<Created>(gw, CREATE_ENDPOINT, { input: { url: healthyUrl, eventTypes: ['object.created'], description: 'P6 healthy receiver' } })).createWebhookEndpoint;
      // --dead=0 leaves the dead endpoint out: what it costs the healthy one, by comparison.
      const dead = opt.dead > 0 ? (await gql<Created>(gw, CREATE_ENDPOINT, { input: { url: deadUrl, eventTypes: ['object.created'], description: 'P6 dead endpoint' } })).createWebhookEndpoint : null;
      if (!dead) warnings.push('no dead endpoint (--dead=0): a comparison run, not the P6 figure');
      if (!healthy.secret.startsWith('whsec_')) warnings.push(`unexpected secret format ${healthy.secret.slice(0, 8)}…`);

      const load = (prefix: string, count: number, onReady?: () => void) =>
        measure(gw, { requests: [create(prefix)], check: 'graphql', count, concurrency: opt.concurrency, timeCapMs: Math.max(1000, remaining() - 15_000), tag: prefix }, onReady);
      const phase = async (name: string) => {
        receiver.send({ type: 'phase', name });
        await receiver.next('phase-started', 5000);
      };
      const awaitPhase = async (expect: number, waitMs: number) => {
        const w = Math.max(0, Math.min(waitMs, remaining() - 2000));
        receiver.send({ type: 'await', expect, waitMs: w });
        return receiver.next<PhaseResult>('phase-result', w + 10_000);
      };
      const loadWarnings = (what: string, r: Run) => {
        const l = r.load;
        if (l.failed) warnings.push(`${what}: ${l.failed} of ${l.completed} creates failed (${Object.entries(l.errorCodes).map(([k, v]) => `${k}×${v}`).join(', ')}); e.g. ${l.errorSamples[0] ?? ''}`);
        if (l.capped) warnings.push(`${what}: the time cap stopped the load after ${l.completed} of the planned creates`);
      };

      // Warm-up: the whole path once (JIT, keep-alive connections to the receiver).
      if (opt.warmup > 0) {
        await phase('warmup');
        const w = await load('p6w', opt.warmup);
        loadWarnings('warm-up', w);
        const pr = await awaitPhase(w.load.ok, opt.drainSeconds * 1000);
        ctx.log(`warm-up: ${w.load.ok} events, ${pr.distinct} delivered (${round(spanRate(pr), 1)}/s)`);
        if (pr.distinct < w.load.ok) warnings.push(`warm-up: only ${pr.distinct} of ${w.load.ok} delivered within ${opt.drainSeconds} s`);
      }

      // Live: deliveries while the events are produced.
      await phase('live');
      let firstWriteAt = NaN;
      const live = await load('p6l', opt.events, () => (firstWriteAt = sharedNow()));
      const liveLoadDoneAt = sharedNow();
      loadWarnings('live', live);
      const lr = await awaitPhase(live.load.ok, opt.drainSeconds * 1000);
      const liveRate = spanRate(lr);
      const liveTotalS = (num(lr.expectedAt) - firstWriteAt) / 1000;
      const liveLagMs = num(lr.lastAt) - liveLoadDoneAt;
      const produceRate = live.load.rps;
      ctx.log(`live: ${live.load.ok} events at ${produceRate} creates/s; ${lr.distinct} delivered, ${round(liveRate, 1)}/s first → last receipt; `
        + `all in ${round(liveTotalS, 2)} s from the first write; last receipt ${round(liveLagMs, 0)} ms after the last write returned; max gap ${lr.maxGapMs} ms`);
      if (lr.distinct < live.load.ok) warnings.push(`live: only ${lr.distinct} of ${live.load.ok} events reached the receiver within ${opt.drainSeconds} s of the last write`);

      // Backlog: a stopped worker, M events dispatched into webhook_delivery, then one worker drains them.
      let br: PhaseResult | undefined;
      let backlogRun: Run | undefined;
      let backlogStartAt = NaN;
      let backlogPending = NaN;
      let drainCost: { statementsPerDelivery: number; cpuMsPerDelivery: number; eventLoopUtilization: number } | null = null;
      const estimateS = opt.backlog / Math.max(1, produceRate) + opt.backlog / Math.max(20, Number.isFinite(liveRate) ? liveRate : 20) + 5;
      if (opt.backlog > 0 && remaining() / 1000 > estimateS) {
        await gw.gateway.events.webhooks.stop();
        await phase('backlog');
        backlogRun = await load('p6b', opt.backlog);
        loadWarnings('backlog', backlogRun);
        for (let i = 0; i < 50; i++) {
          await gw.gateway.events.dispatcher.drain();
          const [row] = await gw.gateway.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_event WHERE dispatched_at IS NULL`);
          if (Number(row?.n) === 0) break;
          await sleep(100);
        }
        const [pend] = await gw.gateway.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id WHERE w.euid = $1 AND d.status = 'pending'`, [healthy.endpoint.id]);
        backlogPending = Number(pend?.n);
        // Gateway-side cost of the drain: statements, CPU and event-loop use per delivery (both endpoints' attempts included).
        let statements = 0;
        const stopCounting = gw.gateway.db.onQuery(() => {
          statements++;
        });
        const cpu0 = process.cpuUsage();
        const elu0 = performance.eventLoopUtilization();
        backlogStartAt = sharedNow();
        worker2 = await startDeliveryWorker(gw.gateway.db, gw.gateway.config, gw.gateway.logger);
        br = await awaitPhase(backlogPending, opt.drainSeconds * 1000);
        const cpu = process.cpuUsage(cpu0);
        drainCost = {
          statementsPerDelivery: round(statements / Math.max(1, br.distinct), 2),
          cpuMsPerDelivery: round((cpu.user + cpu.system) / 1000 / Math.max(1, br.distinct), 3),
          eventLoopUtilization: round(performance.eventLoopUtilization(elu0).utilization, 3),
        };
        stopCounting();
        ctx.log(`backlog: ${backlogPending} pending for the healthy endpoint; ${br.distinct} delivered in ${round((num(br.expectedAt) - backlogStartAt) / 1000, 2)} s from the worker start `
          + `(${round(spanRate(br), 1)}/s first → last receipt)`);
        if (br.distinct < backlogPending) warnings.push(`backlog: only ${br.distinct} of ${backlogPending} delivered within ${opt.drainSeconds} s`);
      } else if (opt.backlog > 0) warnings.push(`backlog phase skipped: ${Math.round(remaining() / 1000)} s left of the ${opt.capSeconds} s cap, ~${Math.round(estimateS)} s needed`);

      // Queue state per endpoint at the end, once the last sends are recorded.
      await worker2?.stop();
      const rows = await gw.gateway.db.query<{ euid: string; status: string; n: number; attempts: number; max_attempts: number; last_error: string | null }>(
        `SELECT w.euid, d.status, count(*)::int AS n, coalesce(sum(d.attempts), 0)::int AS attempts, coalesce(max(d.attempts), 0)::int AS max_attempts, min(d.last_error) AS last_error
         FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id GROUP BY w.euid, d.status ORDER BY w.euid, d.status`,
      );
      const byStatus = (euid: string) => Object.fromEntries(rows.filter((r) => r.euid === euid).map((r) => [r.status, { count: Number(r.n), attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts), lastError: r.last_error }]));
      const healthyState = byStatus(healthy.endpoint.id);
      const deadState = dead ? byStatus(dead.endpoint.id) : {};
      const [dup] = await gw.gateway.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT event_id FROM webhook_delivery GROUP BY endpoint_id, event_id HAVING count(*) > 1) x`);
      const count = (s: Record<string, { count: number }>, k: string) => s[k]?.count ?? 0;

      const backlogDrainRate = br ? (br.distinct / ((num(br.lastAt) - backlogStartAt) / 1000)) : NaN;
      const ratios: Ratio[] = [
        ...(br ? [{
          name: 'backlog: deliveries/s, worker start → last receipt',
          meaning: `${br.distinct} queued deliveries to the healthy endpoint ÷ seconds from starting a delivery worker to the last receipt, with the dead endpoint's backlog queued alongside`,
          value: round(backlogDrainRate, 1), unit: '/s' as const, goal: { op: '>=' as const, value: 500 },
        }] : []),
        {
          name: 'live: deliveries/s, first → last receipt',
          meaning: `distinct webhook-ids at the healthy receiver per second from its first to its last receipt while ${opt.events} createObject ran at concurrency ${opt.concurrency}`,
          value: round(liveRate, 1), unit: '/s', ...(br ? {} : { goal: { op: '>=' as const, value: 500 } }),
        },
        {
          name: 'live: createObject/s (the event supply)',
          meaning: 'completed creates per second in the same phase; the live delivery rate cannot exceed it',
          value: produceRate, unit: '/s',
        },
        {
          name: 'live: first write → all delivered',
          meaning: `seconds from the first create request to the receipt of the ${live.load.ok}th distinct webhook-id, in ms`,
          value: round(liveTotalS * 1000, 0), unit: 'ms',
        },
      ];
      const side = (label: string, r: Run): SideSummary => ({
        label, role: 'target', rounds: 1, rps: r.load.rps, p50: r.load.latencyMs.p50, p90: r.load.latencyMs.p90, p99: r.load.latencyMs.p99,
        ok: r.load.ok, failed: r.load.failed, sqlPerRequest: r.server.sqlPerRequest, cpuMsPerRequest: r.server.cpuMsPerRequest, eventLoopUtilization: r.server.eventLoopUtilization,
      });
      const deadText = Object.entries(deadState).map(([k, v]) => `${k} ${v.count} (attempts ${v.attempts}, max ${v.maxAttempts})`).join(', ') || 'none';
      const notes = [
        `live: ${lr.distinct}/${live.load.ok} delivered; ${round(liveRate, 1)}/s first → last; all ${round(liveTotalS, 2)} s after the first write; last receipt ${round(liveLagMs, 0)} ms after the last create returned; `
          + `per second min ${lr.perSecondMin ?? '–'} / max ${lr.perSecondMax ?? '–'}; longest gap between receipts ${lr.maxGapMs} ms (${lr.gapsOver250ms} gaps > 250 ms)${trend(lr)}`,
        ...(br ? [`backlog: ${br.distinct}/${backlogPending} delivered in ${round((num(br.expectedAt) - backlogStartAt) / 1000, 2)} s from the worker start; ${round(spanRate(br), 1)}/s first → last; `
          + `per second min ${br.perSecondMin ?? '–'} / max ${br.perSecondMax ?? '–'}; longest gap ${br.maxGapMs} ms${trend(br)}`,
          ...(drainCost ? [`backlog drain, gateway side per healthy delivery (the dead endpoint's attempts included): ${drainCost.statementsPerDelivery} SQL statements, `
            + `${drainCost.cpuMsPerDelivery} ms CPU; event-loop utilisation ${drainCost.eventLoopUtilization}`] : [])] : []),
        `healthy endpoint ${healthy.endpoint.id}: ${Object.entries(healthyState).map(([k, v]) => `${k} ${v.count}`).join(', ')}; receiver saw ${lr.duplicates + (br?.duplicates ?? 0)} duplicate ids`,
        `dead endpoint ${dead?.endpoint.id ?? '(none)'} (${opt.hang > 0 ? 'never answers' : 'connection refused'}): ${deadText}${deadState.pending?.lastError ? `; last error "${deadState.pending.lastError}"` : ''}`
          + (opt.hang > 0 ? `; the hanging server got ${br?.hangRequests ?? lr.hangRequests} requests` : ''),
      ];
      if (count(healthyState, 'dead_letter') || count(healthyState, 'failed')) warnings.push(`healthy endpoint has failed/dead-lettered deliveries: ${JSON.stringify(healthyState)}`);
      if (Number(dup?.n)) warnings.push(`${dup.n} (endpoint, event) pairs have more than one delivery row`);
      if (lr.missingId || (br?.missingId ?? 0)) warnings.push('requests without a webhook-id header reached the receiver');
      const checks = {
        healthyEndpoint: healthy.endpoint.id,
        deadEndpoint: dead?.endpoint.id ?? null,
        deadKind: opt.hang > 0 ? 'never answers' : 'connection refused',
        healthyUrl,
        deadUrl,
        live: { ...lr, firstWriteAt, loadDoneAt: liveLoadDoneAt, rate: round(liveRate, 1), totalSeconds: round(liveTotalS, 3), lagAfterLastWriteMs: round(liveLagMs, 1), createsPerSecond: produceRate },
        backlog: br ? { ...br, drainCost, pendingAtStart: backlogPending, workerStartedAt: backlogStartAt, drainRate: round(backlogDrainRate, 1), spanRate: round(spanRate(br), 1) } : null,
        healthyState,
        deadState,
        duplicateDeliveryRows: Number(dup?.n ?? 0),
        config: { concurrency: cfg.concurrency, endpointConcurrency: cfg.endpointConcurrency, pollMs: cfg.pollMs, timeoutMs: cfg.timeoutMs, retrySchedule: cfg.retrySchedule },
      };
      return {
        id: p6.id,
        title: p6.title,
        baseline: p6.baseline,
        goal: p6.goal,
        database: gw.database,
        options: { ...opt },
        sides: [side(`createObject ×${opt.events} (live)`, live), ...(backlogRun ? [side(`createObject ×${opt.backlog} (backlog, worker stopped)`, backlogRun)] : [])],
        ratios,
        rounds: [
          { role: 'target' as const, label: 'live', round: 1, run: live },
          ...(backlogRun ? [{ role: 'target' as const, label: 'backlog', round: 1, run: backlogRun }] : []),
        ],
        checks,
        notes,
        warnings,
        durationMs: Date.now() - started,
      };
    } finally {
      await worker2?.stop().catch(() => undefined);
      await Promise.all(children.map((c) => c.stop()));
      await gw.close();
    }
  },
};
