// Interleaved A/B rounds against one gateway: warm-up of both sides, then
// baseline, target, baseline, target… and the median of each side across rounds,
// so a noisy neighbour on a shared machine hits both sides alike.
import { median, round } from './stats.js';
import { measure, measureDirect, type DirectRequest } from './runLoad.js';
import type { BenchGateway } from './gateway.js';
import type { BenchContext, LoadSpec, Ratio, Run, SideSummary } from './types.js';

export type RequestPart = Pick<LoadSpec, 'requests' | 'check' | 'countHeaders' | 'requestTimeoutMs'>;

export interface Side {
  label: string;
  role: 'baseline' | 'target';
  /** Prefix of `{{seq}}` values, unique per side. */
  tag: string;
  /** HTTP requests from the load client (a separate process)… */
  load?: RequestPart;
  /** …or, instead, a call made in the bench process (e.g. SQL sent straight to the database), timed around each call. */
  direct?: DirectRequest;
  /** Base URL the load client targets instead of the gateway's (a baseline server in the bench process). */
  url?: string;
  /** Requests per measured round for this side, instead of the plan's (see calibrate). */
  requests?: number;
}

export interface RoundPlan {
  rounds: number;
  requests: number;
  concurrency: number;
  capSeconds: number;
  warmup: number;
  warmupCapSeconds: number;
}

export interface RoundRecord {
  role: 'baseline' | 'target';
  label: string;
  round: number;
  run: Run;
}

export function planFrom(ctx: BenchContext, defaults: RoundPlan): RoundPlan {
  return {
    rounds: ctx.option('rounds', defaults.rounds),
    requests: ctx.option('requests', defaults.requests),
    concurrency: ctx.option('concurrency', defaults.concurrency),
    capSeconds: ctx.option('cap', defaults.capSeconds),
    warmup: ctx.option('warmup', defaults.warmup),
    warmupCapSeconds: ctx.option('warmup-cap', defaults.warmupCapSeconds),
  };
}

const line = (r: RoundRecord) => {
  const l = r.run.load;
  const s = r.run.server;
  return `${r.round === 0 ? 'warm-up' : `round ${r.round}`}  ${r.label.padEnd(32)} ${String(l.completed).padStart(5)} req  ${l.rps.toFixed(1).padStart(7)} req/s`
    + `  p50 ${l.latencyMs.p50.toFixed(1).padStart(6)} ms  p99 ${l.latencyMs.p99.toFixed(1).padStart(6)} ms  failed ${l.failed}`
    + `  sql/req ${s.sqlPerRequest}  cpu ${s.cpuMsPerRequest} ms/req  elu ${s.eventLoopUtilization}${l.capped ? '  (time cap)' : ''}`;
};

export async function interleave(gw: BenchGateway, ctx: BenchContext, sides: Side[], plan: RoundPlan): Promise<{ warmup: RoundRecord[]; rounds: RoundRecord[] }> {
  const warmup: RoundRecord[] = [];
  const rounds: RoundRecord[] = [];
  const one = async (side: Side, roundNo: number, count: number, capSeconds: number) => {
    const shape = { count, concurrency: plan.concurrency, timeCapMs: capSeconds * 1000, tag: `${side.tag}${roundNo === 0 ? 'w' : roundNo}` };
    let run: Run;
    if (side.direct) run = await measureDirect(gw, side.direct, shape);
    else if (side.load) run = await measure(side.url ? { ...gw, url: side.url } : gw, { ...side.load, ...shape });
    else throw new Error(`side ${side.label} has neither load nor direct`);
    const rec: RoundRecord = { role: side.role, label: side.label, round: roundNo, run };
    ctx.log(line(rec));
    return rec;
  };
  if (plan.warmup > 0) for (const side of sides) warmup.push(await one(side, 0, plan.warmup, plan.warmupCapSeconds));
  for (let r = 1; r <= plan.rounds; r++) for (const side of sides) rounds.push(await one(side, r, side.requests ?? plan.requests, plan.capSeconds));
  return { warmup, rounds };
}

/**
 * Sizes each side's measured rounds from its warm-up throughput, so that sides of very
 * different speed (a 1 ms read and a 30 ms list) each run for about `seconds`:
 * requests = warm-up req/s × seconds, clamped to [min, max]. The time cap still applies.
 */
export function calibrate(sides: Side[], warmup: RoundRecord[], seconds: number, min: number, max: number): Side[] {
  return sides.map((side) => {
    const w = warmup.find((r) => r.label === side.label);
    const rps = w?.run.load.rps ?? NaN;
    const n = Number.isFinite(rps) && rps > 0 ? Math.round(rps * seconds) : max;
    return { ...side, requests: Math.min(max, Math.max(min, n)) };
  });
}

export function summarizeSide(side: Side, rounds: RoundRecord[]): SideSummary {
  const mine = rounds.filter((r) => r.label === side.label);
  const m = (f: (r: Run) => number) => round(median(mine.map((r) => f(r.run))), 3);
  return {
    label: side.label,
    role: side.role,
    rounds: mine.length,
    rps: m((r) => r.load.rps),
    p50: m((r) => r.load.latencyMs.p50),
    p90: m((r) => r.load.latencyMs.p90),
    p99: m((r) => r.load.latencyMs.p99),
    ok: mine.reduce((a, r) => a + r.run.load.ok, 0),
    failed: mine.reduce((a, r) => a + r.run.load.failed, 0),
    sqlPerRequest: m((r) => r.server.sqlPerRequest),
    cpuMsPerRequest: m((r) => r.server.cpuMsPerRequest),
    eventLoopUtilization: m((r) => r.server.eventLoopUtilization),
  };
}

/**
 * The two "how much slower is the target" ratios (1.0 = no cost, 1.2 = 20 % slower):
 * p50 latency target/baseline and throughput baseline/target, each from the medians
 * across rounds, plus the same ratio per round pair for the spread.
 */
export function slowdownRatios(base: SideSummary, target: SideSummary, rounds: RoundRecord[], goal?: Ratio['goal']): Ratio[] {
  const pairs: [Run, Run][] = [];
  const byRound = new Map<number, RoundRecord[]>();
  for (const r of rounds) byRound.set(r.round, [...(byRound.get(r.round) ?? []), r]);
  for (const recs of byRound.values()) {
    const b = recs.find((r) => r.label === base.label);
    const t = recs.find((r) => r.label === target.label);
    if (b && t) pairs.push([b.run, t.run]);
  }
  return [
    {
      name: 'p50 latency target/baseline',
      meaning: `median p50 of "${target.label}" ÷ median p50 of "${base.label}" (1.0 = same latency)`,
      value: round(target.p50 / base.p50, 3),
      ...(goal ? { goal } : {}),
      perRound: pairs.map(([b, t]) => round(t.load.latencyMs.p50 / b.load.latencyMs.p50, 3)),
    },
    {
      name: 'throughput baseline/target',
      meaning: `median req/s of "${base.label}" ÷ median req/s of "${target.label}" (1.0 = same throughput)`,
      value: round(base.rps / target.rps, 3),
      ...(goal ? { goal } : {}),
      perRound: pairs.map(([b, t]) => round(b.load.rps / t.load.rps, 3)),
    },
    {
      // No goal: a steadier view of the same cost when the machine is shared (it moves less with neighbours' load).
      name: 'gateway CPU/request target/baseline',
      meaning: `median CPU ms per request in the gateway process, "${target.label}" ÷ "${base.label}" (embedded: includes PGlite; PostgreSQL: the server's own CPU is not counted)`,
      value: round(target.cpuMsPerRequest / base.cpuMsPerRequest, 3),
      perRound: pairs.map(([b, t]) => round(t.server.cpuMsPerRequest / b.server.cpuMsPerRequest, 3)),
    },
  ];
}

/** Warnings for anything that failed, returned 5xx, or (outside the warm-up) hit the time cap. */
export function runWarnings(records: RoundRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    const l = r.run.load;
    const where = `${r.label} ${r.round === 0 ? 'warm-up' : `round ${r.round}`}`;
    if (l.failed) out.push(`${where}: ${l.failed} failed (${Object.entries(l.errorCodes).map(([k, v]) => `${k}×${v}`).join(', ')}); e.g. ${l.errorSamples[0] ?? ''}`);
    const fiveXX = Object.entries(l.statuses).filter(([s]) => s.startsWith('5'));
    if (fiveXX.length) out.push(`${where}: 5xx responses ${fiveXX.map(([s, n]) => `${s}×${n}`).join(', ')}`);
    if (l.capped && r.round > 0) out.push(`${where}: stopped by the time cap after ${l.completed} of the planned requests`);
  }
  return out;
}
