// npm run bench [-- ID… ] [--list] [--name=value …]
// Runs the named benchmarks (all by default), prints their tables and writes
// bench/results/<date>-<database>-<ids>[-n].json (and latest.json, the same document), then
// merges the run's figures into bench/results/summary.json and regenerates the table
// between the bench markers in docs/performance.md from it (so a subset run replaces
// only its own rows). Figures are reported, never asserted: the exit code only says
// whether every benchmark ran.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanupAll } from './lib/cleanup.js';
import { updateSummary } from './lib/summary.js';
import { resultsDir } from './lib/paths.js';
import type { BenchContext, BenchResult, Benchmark, Ratio, SideSummary } from './lib/types.js';
import { p1 } from './p1-graphql-vs-jit.js';
import { p2 } from './p2-lineage.js';
import { p3 } from './p3-lineage-scale.js';
import { p4 } from './p4-rest-vs-graphql.js';
import { p5 } from './p5-subscriber-latency.js';
import { p6 } from './p6-webhook-throughput.js';
import { p7 } from './p7-idempotency.js';
import { p8 } from './p8-bulk-create.js';

/** Every benchmark, in run order. Add a new one as bench/pN-<name>.ts and list it here. */
const BENCHMARKS: Benchmark[] = [p1, p2, p3, p4, p5, p6, p7, p8];

interface Cli {
  ids: string[];
  options: Record<string, number>;
  list: boolean;
}

function parseArgs(argv: string[]): Cli {
  const cli: Cli = { ids: [], options: {}, list: false };
  for (const arg of argv) {
    if (arg === '--list' || arg === '-l') cli.list = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: npm run bench [-- ID… ] [--list] [--name=number …]\n'
        + '  P1, P4: --rounds=N --seconds=S --min-requests=N --max-requests=N --concurrency=N --cap=SECONDS --warmup=N --warmup-cap=SECONDS\n'
        + '  P2: --rounds=N --seconds=S --min-requests=N --max-requests=N --concurrency=N (default 1) --cap=SECONDS --warmup=N --warmup-cap=SECONDS\n'
        + '  P3: --rounds=N --seconds=S --concurrency=N (default 1) --cap=SECONDS --warmup=N --width=N --small-edges=N --large-edges=N\n'
        + '  P7: --rounds=N --requests=N --concurrency=N --cap=SECONDS --warmup=N --warmup-cap=SECONDS\n'
        + '  P8: --objects=N --batch=N (≤ 1000) --rounds=N --concurrency=N --cap=SECONDS\n'
        + '  P5: --subscribers=N --sockets=N --writes=N --rate=PER_SECOND --warmup=N --drain=SECONDS --cap=SECONDS\n'
        + '  P6: --events=N --concurrency=N --warmup=N --backlog=N --dead=0|1 --hang=0|1 --drain=SECONDS --cap=SECONDS\n'
        + '  (options apply to every benchmark named in the run)\n');
      process.exit(0);
    } else if (arg.startsWith('--')) {
      const m = /^--([a-z-]+)=(\d+(?:\.\d+)?)$/.exec(arg);
      if (!m) throw new Error(`unknown option ${arg} (options are --name=number)`);
      cli.options[m[1]] = Number(m[2]);
    } else cli.ids.push(arg.toUpperCase());
  }
  return cli;
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const unitOf = (r: Ratio) => r.unit ?? '×';
const withUnit = (v: string, unit: string) => (unit === '×' ? `${v}×` : `${v} ${unit}`);
const goalText = (g: Ratio['goal'] | undefined, unit = '×') => (g ? `${g.op === '<=' ? '≤' : '≥'} ${withUnit(String(g.value), unit)}` : '–');
const within = (r: Ratio) => (!r.goal ? '' : (r.goal.op === '<=' ? r.value <= r.goal.value : r.value >= r.goal.value) ? 'within goal' : 'NOT within goal');

/** A plain-text table; `left` lists the text columns (the rest are numbers, right-aligned). */
function table(headers: string[], rows: string[][], left: number[] = [0]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (left.includes(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function report(r: BenchResult): string {
  const side = (s: SideSummary) => [
    `${s.label} (${s.role})`, fmt(s.rps), fmt(s.p50, 2), fmt(s.p90, 2), fmt(s.p99, 2), String(s.ok), String(s.failed),
    fmt(s.sqlPerRequest, 1), fmt(s.cpuMsPerRequest, 2),
  ];
  const out = [
    '',
    `${r.id}  ${r.title}`,
    `    database: ${r.database.mode}, ${r.database.version}; baseline: ${r.baseline}; ${(r.sides[0]?.rounds ?? 0) > 1 ? `medians of ${r.sides[0].rounds} rounds` : 'one measured run'}; ${(r.durationMs / 1000).toFixed(0)} s`,
    '',
    table(['side', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'ok', 'failed', 'sql/req', 'cpu ms/req'], r.sides.map(side)),
    '',
    ...r.ratios.map((x) => unitOf(x) === '×'
      ? `    ${x.name}: ${fmt(x.value, 3)}×  (per round ${x.perRound?.map((v) => fmt(v, 3)).join(', ') ?? '–'})  goal ${goalText(x.goal)}  ${within(x)}`
      : `    ${x.name}: ${withUnit(fmt(x.value, 1), unitOf(x))}  goal ${goalText(x.goal, unitOf(x))}  ${within(x)}`.trimEnd()),
  ];
  if (r.notes?.length) out.push('', ...r.notes.map((n) => `    ${n}`));
  if (r.warnings.length) out.push('', '    warnings:', ...r.warnings.map((w) => `      - ${w}`));
  return out.join('\n');
}

function summaryTable(results: BenchResult[]): string {
  return table(
    ['id', 'figure', 'value', 'goal', 'baseline req/s · p50 · p99', 'target req/s · p50 · p99', 'database'],
    results.flatMap((r) => {
      const b = r.sides.find((s) => s.role === 'baseline');
      const t = r.sides.find((s) => s.role === 'target');
      const raw = (s?: SideSummary) => (s ? `${fmt(s.rps)} · ${fmt(s.p50, 1)} ms · ${fmt(s.p99, 1)} ms` : '–');
      return r.ratios.map((x, i) => [
        i === 0 ? r.id : '', x.name, unitOf(x) === '×' ? `${fmt(x.value, 2)}×` : withUnit(fmt(x.value, 1), unitOf(x)), goalText(x.goal, unitOf(x)),
        i === 0 ? raw(b) : '', i === 0 ? raw(t) : '', i === 0 ? r.database.mode : '',
      ]);
    }),
    [0, 1, 4, 5, 6],
  );
}

function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** The run's full document, dated and as latest.json; returns the dated file. */
function writeResults(doc: unknown, startedAt: Date, ids: string[], mode: string): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  // Never overwrite an earlier run of the same day: -2, -3… after the first.
  const stem = `${startedAt.toISOString().slice(0, 10)}-${mode}-${ids.join('-')}`;
  let file = path.join(resultsDir, `${stem}.json`);
  for (let n = 2; fs.existsSync(file); n++) file = path.join(resultsDir, `${stem}-${n}.json`);
  writeAtomic(file, text);
  writeAtomic(path.join(resultsDir, 'latest.json'), text);
  return file;
}

async function main(): Promise<number> {
  const cli = parseArgs(process.argv.slice(2));
  if (cli.list) {
    for (const b of BENCHMARKS) process.stdout.write(`${b.id}  ${b.title}  (baseline: ${b.baseline}; goal ${b.goal})\n`);
    return 0;
  }
  const unknown = cli.ids.filter((id) => !BENCHMARKS.some((b) => b.id === id));
  if (unknown.length) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.id).join(', ')}\n`);
    return 2;
  }
  const selected = cli.ids.length ? BENCHMARKS.filter((b) => cli.ids.includes(b.id)) : BENCHMARKS;
  const ctx: BenchContext = {
    option: (name, fallback) => cli.options[name] ?? fallback,
    log: (l) => process.stdout.write(`    ${l}\n`),
  };
  const startedAt = new Date();
  const m = machine();
  process.stdout.write(`labgraph bench: ${selected.map((b) => b.id).join(', ')} on ${m.cores} cores (${m.cpu}), Node ${m.node}, `
    + `${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite'}\n`);

  const results: BenchResult[] = [];
  const failures: { id: string; error: string }[] = [];
  for (const b of selected) {
    process.stdout.write(`\n${b.id} running: ${b.title}\n`);
    try {
      const r = await b.run(ctx);
      results.push(r);
      process.stdout.write(`${report(r)}\n`);
    } catch (err) {
      const error = err instanceof Error ? err.stack ?? err.message : String(err);
      failures.push({ id: b.id, error });
      process.stderr.write(`${b.id} failed: ${error}\n`);
    }
  }

  const mode = process.env.DATABASE_URL ? 'postgres' : 'embedded';
  const file = writeResults(
    { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), args: process.argv.slice(2), machine: m, results, failures },
    startedAt, selected.map((b) => b.id), mode,
  );
  if (results.length) process.stdout.write(`\nsummary\n\n${summaryTable(results)}\n`);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), file)} (and latest.json)\n`);
  // A run with the comparison executor is not the gateway as shipped: it leaves the summary alone.
  if (results.length && process.env.LABGRAPH_GRAPHQL_EXECUTOR === 'graphql-js') {
    process.stdout.write('LABGRAPH_GRAPHQL_EXECUTOR=graphql-js: comparison run, summary and docs table not updated\n');
  } else if (results.length) {
    const doc = updateSummary(results, startedAt.toISOString().slice(0, 10), file);
    process.stdout.write(doc ? `updated the table in ${path.relative(process.cwd(), doc)}\n` : 'docs/performance.md has no bench markers; table not written\n');
  }
  return failures.length ? 1 : 0;
}

// Apollo Server stops itself on SIGINT/SIGTERM and then re-sends the signal to this
// process, so a repeated signal must not cut the clean-up short; it gets 20 s.
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${sig}: stopping load clients, dropping bench databases…\n`);
    setTimeout(() => process.exit(130), 20_000).unref();
    void cleanupAll().finally(() => process.exit(130));
  });
}

main().then(
  async (code) => {
    await cleanupAll();
    process.exit(code);
  },
  async (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    await cleanupAll();
    process.exit(1);
  },
);
