// P5 (issues 5 and 7): commit → subscriber latency with 1,000 graphql-ws subscribers.
// Goal: p99 ≤ 50 ms from the HTTP response of a write to the LAST subscriber receiving
// its event. No baseline: the figures are absolute.
//
// Three processes: the gateway (this one), the subscribers (bench/lib/subscriberClient.ts,
// sockets × subscriptions, all on `events(filter: {types: ["object.created"]})`), and a
// paced writer (bench/lib/pacedWriter.ts) that sends createObject at a fixed rate and
// records when each response arrived. Both helpers stamp times with
// performance.timeOrigin + performance.now(), so their clocks compare. The outbox
// dispatcher runs with its default poll (OUTBOX_POLL_MS 1000): what is measured is the
// NOTIFY-at-commit path; an event that waited for the poll shows up as a ~1 s outlier.
// The default pace is 10 writes/s: at 20/s the fan-out to 1,000 subscribers (~50 ms of
// gateway CPU per event on a 2-core machine) saturates the gateway, writes queue up and
// the latency grows with the length of the run instead of measuring the path.
import { fileURLToPath } from 'node:url';
import { authHeaders, BENCH_ADMIN_KEY, startBenchGateway, type BenchGateway } from './lib/gateway.js';
import { sharedNow, spawnJsonChild, type ChildMessage, type JsonChild } from './lib/child.js';
import { percentile, round, summarize } from './lib/stats.js';
import type { Write } from './lib/pacedWriter.js';
import type { Benchmark, LatencySummary, Ratio, SideSummary } from './lib/types.js';

const SUBSCRIBERS = fileURLToPath(new URL('./lib/subscriberClient.ts', import.meta.url));
const WRITER = fileURLToPath(new URL('./lib/pacedWriter.ts', import.meta.url));

const TEMPLATE = 'content/sample/gdna/1.0';
const MUTATION = 'mutation P5Create($input: CreateObjectInput!) { createObject(input: $input) { euid } }';
const SUBSCRIPTION = 'subscription { events(filter: { types: ["object.created"] }) { id euid data } }';

interface SubscriberResult extends ChildMessage {
  subscriptions: number;
  sockets: number;
  connectedSockets: number;
  /** euid → [received, first, median, last] */
  perEuid: Record<string, [number, number | null, number | null, number | null]>;
  subscriptionsThatMissedSome: number;
  duplicates: number;
  eventsSeen: number;
  errorCount: number;
  errors: string[];
  completions: number;
  closes: number;
  memoryMiB: number;
  cpuMs: number;
}

interface WriterResult extends ChildMessage {
  writes: Write[];
  capped: boolean;
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function createOne(gw: BenchGateway, externalId: string): Promise<void> {
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders },
    body: JSON.stringify({ query: MUTATION, variables: { input: { templateCode: TEMPLATE, externalId } } }),
  });
  const doc = (await res.json()) as { errors?: { message: string }[] };
  if (!res.ok || doc.errors?.length) throw new Error(`createObject failed: ${res.status} ${doc.errors?.[0]?.message ?? ''}`);
}

const ms = (v: number) => round(v, 2);

export const p5: Benchmark = {
  id: 'P5',
  title: 'commit → subscriber latency, 1,000 graphql-ws subscribers',
  baseline: '— (absolute figures)',
  goal: 'p99 ≤ 50 ms (HTTP response → last subscriber)',
  async run(ctx) {
    const started = Date.now();
    const opt = {
      subscribers: ctx.option('subscribers', 1000),
      sockets: ctx.option('sockets', 100),
      writes: ctx.option('writes', 200),
      rate: ctx.option('rate', 10),
      warmup: ctx.option('warmup', 40),
      drainSeconds: ctx.option('drain', 10),
      capSeconds: ctx.option('cap', 120),
    };
    const sockets = Math.max(1, Math.min(opt.sockets, opt.subscribers));
    const perSocket = Math.ceil(opt.subscribers / sockets);
    const total = sockets * perSocket;
    const deadline = performance.now() + opt.capSeconds * 1000;
    const remaining = () => deadline - performance.now();
    const warnings: string[] = [];
    const children: JsonChild[] = [];

    const gw = await startBenchGateway({ RATE_LIMIT_MAX: '0' });
    // When the dispatcher handed each event to the bus (this process): splits the latency into
    // commit → publish (NOTIFY, dispatch transaction) and publish → subscriber (fan-out, GraphQL, WebSocket).
    const publishedAt = new Map<string, number>();
    const unsubscribeBus = gw.gateway.events.bus.subscribe((events) => {
      const t = sharedNow();
      for (const e of events) if (e.type === 'object.created' && e.euid) publishedAt.set(e.euid, t);
    });
    try {
      ctx.log(`gateway ${gw.url} on ${gw.database.mode} (${gw.database.version}); ${total} subscriptions on ${sockets} sockets × ${perSocket}; `
        + `${opt.writes} writes at ${opt.rate}/s after ${opt.warmup} warm-up writes; cap ${opt.capSeconds} s`);
      if (total !== opt.subscribers) warnings.push(`${opt.subscribers} subscribers do not divide into ${sockets} sockets: ran ${total}`);

      // 1. Subscribers connect and subscribe.
      const subs = spawnJsonChild(SUBSCRIBERS, remaining() + 15_000);
      children.push(subs);
      subs.send({ type: 'start', url: gw.url, authorization: `Bearer ${BENCH_ADMIN_KEY}`, sockets, perSocket, query: SUBSCRIPTION });
      const connected = await subs.next<ChildMessage & { ms: number; sockets: number; closes: number; errors: string[] }>('connected', Math.min(60_000, remaining()));
      ctx.log(`subscribers: ${connected.sockets}/${sockets} sockets acknowledged in ${connected.ms} ms${connected.closes ? `, ${connected.closes} closed` : ''}`);
      if (connected.sockets !== sockets) throw new Error(`only ${connected.sockets} of ${sockets} sockets connected: ${connected.errors.join('; ')}`);

      // 2. graphql-ws has no "subscribed" acknowledgement: write until every subscription has seen an event.
      let live: (ChildMessage & { ms: number }) | null = null;
      const liveP = subs.next<ChildMessage & { ms: number }>('live', Math.min(60_000, remaining())).then((m) => (live = m), () => null);
      let readyWrites = 0;
      const readyBy = performance.now() + Math.min(60_000, remaining());
      while (!live && performance.now() < readyBy) {
        await createOne(gw, `p5-ready-${readyWrites++}`);
        await Promise.race([liveP, sleep(250)]);
      }
      if (!live) throw new Error(`not every subscription received an event after ${readyWrites} writes`);
      ctx.log(`every subscription live after ${readyWrites} write(s)`);

      // 3. Warm-up writes at the measured pace (JIT, connection pools), then the measured ones.
      const writer = spawnJsonChild(WRITER, remaining() + 15_000);
      children.push(writer);
      const writeSpec = (count: number, prefix: string, capMs: number) => ({
        type: 'run', url: gw.url, headers: { 'content-type': 'application/json', ...authHeaders }, query: MUTATION, templateCode: TEMPLATE,
        externalIdPrefix: prefix, count, ratePerSec: opt.rate, timeCapMs: capMs,
      });
      const reserve = (opt.drainSeconds + 5) * 1000; // kept for the drain and the report
      if (opt.warmup > 0) {
        writer.send(writeSpec(opt.warmup, 'p5-warm', Math.max(1000, remaining() - reserve - (opt.writes / opt.rate) * 1000)));
        const w = await writer.next<WriterResult>('result', remaining());
        const bad = w.writes.filter((x) => x.error).length;
        ctx.log(`warm-up: ${w.writes.length} writes in ${w.elapsedMs} ms${bad ? `, ${bad} failed` : ''}`);
        await sleep(Math.min(1000, remaining() - reserve));
      }

      let statements = 0;
      const stopCounting = gw.gateway.db.onQuery(() => {
        statements++;
      });
      let cpu0 = process.cpuUsage();
      let elu0 = performance.eventLoopUtilization();
      writer.send(writeSpec(opt.writes, 'p5-m', Math.max(1000, remaining() - reserve)));
      await writer.next('ready', 10_000);
      cpu0 = process.cpuUsage();
      elu0 = performance.eventLoopUtilization();
      statements = 0;
      const wr = await writer.next<WriterResult>('result', remaining());
      // Gateway-side figures up to the last response (the fan-out of the last few events may fall after it).
      const cpu = process.cpuUsage(cpu0);
      const elu = performance.eventLoopUtilization(elu0);
      stopCounting();
      const writes = wr.writes;
      const okWrites = writes.filter((w) => !w.error && w.euid);
      if (wr.capped) warnings.push(`the time cap stopped the writer after ${writes.length} of ${opt.writes} writes`);
      const failedWrites = writes.filter((w) => w.error);
      if (failedWrites.length) warnings.push(`${failedWrites.length} writes failed; e.g. ${failedWrites[0].error}`);

      // 4. Wait (bounded) until every subscription has every measured event.
      const waitMs = Math.max(0, Math.min(opt.drainSeconds * 1000, remaining() - 3000));
      subs.send({ type: 'report', euids: okWrites.map((w) => w.euid), waitMs });
      const sr = await subs.next<SubscriberResult>('result', waitMs + 20_000);

      // 5. Figures. Latency of one event: its receipt time in a subscription − the write's response time.
      const toLast: number[] = [];
      const toMedian: number[] = [];
      const toFirst: number[] = [];
      const sentToLast: number[] = [];
      const toPublish: number[] = [];
      const publishToLast: number[] = [];
      let received = 0;
      let incomplete = 0;
      const perWrite: { i: number; euid: string; received: number; last: number | null; median: number | null; published: number | null }[] = [];
      for (const w of okWrites) {
        const [count, first, med, last] = sr.perEuid[w.euid!] ?? [0, null, null, null];
        received += count;
        const pub = publishedAt.get(w.euid!);
        if (pub !== undefined) toPublish.push(pub - w.respondedAt);
        perWrite.push({ i: w.i, euid: w.euid!, received: count, last: last === null ? null : ms(last - w.respondedAt), median: med === null ? null : ms(med - w.respondedAt), published: pub === undefined ? null : ms(pub - w.respondedAt) });
        if (count !== total) {
          incomplete++;
          continue;
        }
        toLast.push(last! - w.respondedAt);
        toMedian.push(med! - w.respondedAt);
        toFirst.push(first! - w.respondedAt);
        sentToLast.push(last! - w.sentAt);
        if (pub !== undefined) publishToLast.push(last! - pub);
      }
      const expected = okWrites.length * total;
      const misses = expected - received;
      const last = summarize(toLast);
      const median = summarize(toMedian);
      const first = summarize(toFirst);
      const http = summarize(writes.filter((w) => !w.error).map((w) => w.respondedAt - w.sentAt));
      const publish = summarize(toPublish);
      const fanout = summarize(publishToLast);
      const sent = summarize(sentToLast);
      const slow = toLast.filter((v) => v > 500).length;
      const negative = toFirst.filter((v) => v < 0).length;

      if (misses) warnings.push(`${misses} of ${expected} expected receipts missing (${incomplete} of ${okWrites.length} events not received by every subscription; ${sr.subscriptionsThatMissedSome} subscriptions missed some)`);
      if (sr.duplicates) warnings.push(`${sr.duplicates} duplicate receipts (one subscription got the same event twice)`);
      if (sr.errorCount) warnings.push(`${sr.errorCount} subscription errors/closes; e.g. ${sr.errors.slice(0, 3).join('; ')}`);
      if (sr.completions) warnings.push(`${sr.completions} subscriptions completed by the server during the run`);
      if (slow) warnings.push(`${slow} events took > 500 ms to reach the last subscriber (queueing in a saturated gateway, or an event left to the ${gw.gateway.config.events.pollMs} ms poll instead of NOTIFY)`);
      const q = async (sql: string) => Number((await gw.gateway.db.query<{ n: number }>(sql))[0]?.n ?? NaN);
      const checks = {
        subscriptions: total,
        sockets,
        perSocket,
        readyWrites,
        writesPlanned: opt.writes,
        writesOk: okWrites.length,
        writesFailed: failedWrites.length,
        expectedReceipts: expected,
        received,
        misses,
        eventsNotReceivedByAll: incomplete,
        subscriptionsThatMissedSome: sr.subscriptionsThatMissedSome,
        duplicates: sr.duplicates,
        subscriptionErrors: sr.errorCount,
        subscriptionErrorSamples: sr.errors,
        completions: sr.completions,
        socketCloses: sr.closes,
        eventsFirstReceivedBeforeResponse: negative,
        outboxMeasuredEvents: await q(`SELECT count(*)::int AS n FROM outbox_event WHERE type = 'object.created' AND external_id LIKE 'p5-m-%'`),
        outboxUndispatched: await q(`SELECT count(*)::int AS n FROM outbox_event WHERE dispatched_at IS NULL`),
        subscriberProcess: { memoryMiB: sr.memoryMiB, cpuMs: sr.cpuMs, connectMs: connected.ms },
        latencyMs: { toLast: last, toMedian: median, toFirst: first, sentToLast: sent, responseToPublish: publish, publishToLast: fanout, http },
        perWrite,
      };
      if (checks.outboxMeasuredEvents !== okWrites.length) warnings.push(`outbox holds ${checks.outboxMeasuredEvents} measured object.created events for ${okWrites.length} ok writes`);

      const side: SideSummary = {
        label: `createObject at ${opt.rate}/s`,
        role: 'target',
        rounds: 1,
        rps: round(writes.length / (wr.elapsedMs / 1000), 1),
        p50: http.p50,
        p90: http.p90,
        p99: http.p99,
        ok: okWrites.length,
        failed: failedWrites.length,
        sqlPerRequest: round(statements / Math.max(1, writes.length), 2),
        cpuMsPerRequest: round((cpu.user + cpu.system) / 1000 / Math.max(1, writes.length), 3),
        eventLoopUtilization: round(elu.utilization, 3),
      };
      const fig = (name: string, meaning: string, s: LatencySummary, key: 'p50' | 'p99', goal?: Ratio['goal']): Ratio => ({
        name, meaning, value: s[key], unit: 'ms', ...(goal ? { goal } : {}),
      });
      const ratios: Ratio[] = [
        fig('p99 response → last subscriber', `p99 over events of (time the last of ${total} subscriptions received it − time the write's HTTP response arrived)`, last, 'p99', { op: '<=', value: 50 }),
        fig('p50 response → last subscriber', 'the same, median', last, 'p50'),
        fig('p99 response → median subscriber', `p99 over events of (median receipt time across the ${total} subscriptions − response time)`, median, 'p99'),
        fig('p50 response → median subscriber', 'the same, median', median, 'p50'),
      ];
      const fmtS = (s: LatencySummary) => `p50 ${s.p50} · p90 ${s.p90} · p99 ${s.p99} · max ${s.max} ms`;
      const notes = [
        `received ${received} of ${expected} expected (${okWrites.length} events × ${total} subscriptions); misses ${misses}; duplicates ${sr.duplicates}; subscription errors ${sr.errorCount}`,
        `response → first subscriber:  ${fmtS(first)}${negative ? `  (${negative} events reached a subscriber before the HTTP response did)` : ''}`,
        `response → median subscriber: ${fmtS(median)}`,
        `response → last subscriber:   ${fmtS(last)}`,
        `request sent → last:          ${fmtS(sent)}`,
        `split: response → bus publish ${fmtS(publish)}; publish → last subscriber ${fmtS(fanout)}`,
        `writes: ${writes.length} in ${wr.elapsedMs} ms, HTTP ${fmtS(http)}; gateway CPU ${side.cpuMsPerRequest} ms per write (fan-out included), elu ${side.eventLoopUtilization}`,
        `subscriber process: ${sr.sockets} sockets, ${sr.memoryMiB} MiB RSS, ${sr.cpuMs} ms CPU in all; connected in ${connected.ms} ms`,
        ...(toLast.length ? [`events over 100 ms to the last subscriber: ${toLast.filter((v) => v > 100).length}; p99.9 ${round(percentile([...toLast].sort((a, b) => a - b), 99.9))} ms`] : []),
      ];
      return {
        id: p5.id,
        title: p5.title,
        baseline: p5.baseline,
        goal: p5.goal,
        database: gw.database,
        options: { ...opt, sockets, perSocket, subscriptions: total },
        sides: [side],
        ratios,
        rounds: [],
        checks,
        notes,
        warnings,
        durationMs: Date.now() - started,
      };
    } finally {
      unsubscribeBus();
      await Promise.all(children.map((c) => c.stop()));
      await gw.close();
    }
  },
};
