// P7 (issues 4 and 7): GraphQL createObject with a unique Idempotency-Key per request
// against the same create without a key, interleaved in one run. Goal ≤ 1.2×.
import { authHeaders, startBenchGateway } from './lib/gateway.js';
import { interleave, planFrom, runWarnings, slowdownRatios, summarizeSide, type Side } from './lib/compare.js';
import type { Benchmark, RequestTemplate } from './lib/types.js';

const TEMPLATE = 'content/sample/gdna/1.0';
const MUTATION = 'mutation CreateSample($input: CreateObjectInput!) { createObject(input: $input) { id externalId } }';

const create = (extraHeaders: Record<string, string>): RequestTemplate => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json', ...authHeaders, ...extraHeaders },
  // {{seq}} is unique per request across the whole run, so every externalId is new.
  body: JSON.stringify({ query: MUTATION, operationName: 'CreateSample', variables: { input: { templateCode: TEMPLATE, externalId: 'p7-{{seq}}' } } }),
});

const WITHOUT: Side = {
  label: 'without Idempotency-Key',
  role: 'baseline',
  tag: 'b',
  load: { requests: [create({})], check: 'graphql', countHeaders: ['idempotency-replayed'] },
};
const WITH: Side = {
  label: 'with Idempotency-Key',
  role: 'target',
  tag: 't',
  load: { requests: [create({ 'idempotency-key': 'p7-key-{{seq}}' })], check: 'graphql', countHeaders: ['idempotency-replayed'] },
};

export const p7: Benchmark = {
  id: 'P7',
  title: 'GraphQL createObject with vs without Idempotency-Key',
  baseline: 'the same createObject without an Idempotency-Key',
  goal: '≤ 1.2×',
  async run(ctx) {
    const started = Date.now();
    // Throughput still climbs for the first ~2,000 requests (JIT, PGlite's WASM tiering), so the
    // warm-up is long. Worst case (every run hits its cap) is 10 × 15 s + 2 × 12 s: about 3 minutes.
    const plan = planFrom(ctx, { rounds: 5, requests: 1000, concurrency: 8, capSeconds: 15, warmup: 1000, warmupCapSeconds: 12 });
    const gw = await startBenchGateway();
    try {
      ctx.log(`gateway ${gw.url} on ${gw.database.mode} (${gw.database.version}); ${plan.rounds} rounds × ${plan.requests} requests per side, concurrency ${plan.concurrency}`);
      const { warmup, rounds } = await interleave(gw, ctx, [WITHOUT, WITH], plan);
      const base = summarizeSide(WITHOUT, rounds);
      const target = summarizeSide(WITH, rounds);
      const all = [...warmup, ...rounds];

      // Every ok create must be exactly one row, and every keyed one exactly one idempotency record.
      const okWithout = all.filter((r) => r.role === 'baseline').reduce((a, r) => a + r.run.load.ok, 0);
      const okWith = all.filter((r) => r.role === 'target').reduce((a, r) => a + r.run.load.ok, 0);
      const q = async (sql: string) => Number((await gw.gateway.db.query<{ n: number }>(sql))[0]?.n ?? NaN);
      const checks = {
        okWithout,
        okWith,
        rowsWithout: await q(`SELECT count(*)::int AS n FROM material_object WHERE external_id LIKE 'p7-b%'`),
        rowsWith: await q(`SELECT count(*)::int AS n FROM material_object WHERE external_id LIKE 'p7-t%'`),
        idempotencyRecords: await q(`SELECT count(*)::int AS n FROM idempotency_key`),
        idempotencyCompletedWithBody: await q(`SELECT count(*)::int AS n FROM idempotency_key WHERE state = 'completed' AND body IS NOT NULL`),
        replayedHeaders: all.reduce((a, r) => a + (r.run.load.headerCounts['idempotency-replayed'] ?? 0), 0),
      };
      const warnings = runWarnings(all);
      if (checks.rowsWithout !== okWithout || checks.rowsWith !== okWith) warnings.push(`row count mismatch: ${JSON.stringify(checks)}`);
      if (checks.idempotencyRecords !== okWith || checks.idempotencyCompletedWithBody !== okWith) warnings.push(`idempotency records ≠ keyed creates: ${JSON.stringify(checks)}`);
      if (checks.replayedHeaders) warnings.push(`${checks.replayedHeaders} responses carried Idempotency-Replayed although every key was new`);

      return {
        id: p7.id,
        title: p7.title,
        baseline: p7.baseline,
        goal: p7.goal,
        database: gw.database,
        options: { ...plan },
        sides: [base, target],
        ratios: slowdownRatios(base, target, rounds, { op: '<=', value: 1.2 }),
        rounds: all,
        checks,
        warnings,
        durationMs: Date.now() - started,
      };
    } finally {
      await gw.close();
    }
  },
};
