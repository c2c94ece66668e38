// P1 (issue 7): the gateway's GraphQL against a minimal GraphQL server over the same
// schema, resolvers and data, interleaved round by round. Goal: ≥ 0.6× the baseline's
// throughput.
//
// The baseline is the issue's: `node:http` + graphql-jit (0.8.9) over graphql 16. It runs in
// the bench process next to the gateway, and serves:
//   - the gateway's own executable schema (buildLabgraphSchema: the same type-graphql
//     resolvers, DataLoaders and services);
//   - a context built the way the gateway builds it (createRequestContext over the gateway's
//     database handle) with the ADMIN principal of the bench's bootstrap key, which it
//     authenticates once at start-up instead of on every request;
//   - documents parsed, validated and compiled once per (query text, operation name), then
//     the compiled query and its own `stringify` per request.
// It has no auth per request, no rate limit, no Apollo plugins (complexity and depth limits,
// metrics label), no express, no request logger, no idempotency middleware: what the
// gateway does on top of that is exactly what this ratio prices.
//
// Workloads (the load client round-robins their requests):
//   list      objects(first: 100) { nodes { 9 scalar fields + template { code } } }
//   get one   object(euid:) { 10 scalar fields }, round-robin over 100 EUIDs
// Data: 1,000 gDNA samples seeded straight into the bench's fresh database (bench/lib/seed.ts).
// Both servers' answers are compared before timing. Sides run for about --seconds each:
// their request counts come from their warm-up throughput.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { BENCH_ADMIN_KEY, authHeaders, startBenchGateway, type BenchGateway } from './lib/gateway.js';
import { calibrate, interleave, planFrom, runWarnings, slowdownRatios, summarizeSide, type RoundRecord } from './lib/compare.js';
import type { Side } from './lib/compare.js';
import { analyze, findSeedTemplate, sampleProperties, seedObjects } from './lib/seed.js';
import { median, round } from './lib/stats.js';
import { buildLabgraphSchema } from '../src/graphql/schema.js';
import { createRequestContext } from '../src/graphql/context.js';
import { makeTypeResolversSync } from '../src/graphql/execution/syncTypeResolvers.js';
import { createAuthenticator } from '../src/auth/authenticate.js';
import type { Principal } from '../src/auth/actor.js';
import type { Benchmark, Ratio, RequestTemplate, SideSummary } from './lib/types.js';

const TEMPLATE = 'content/sample/gdna/1.0';
const OBJECTS = 1000;
const GET_EUIDS = 100;
const LIST_QUERY = 'query P1List { objects(first: 100) { nodes { id euid name category type subtype status createdAt updatedAt template { code } } } }';
const GET_QUERY = 'query P1Get($euid: ID!) { object(euid: $euid) { id euid name category type subtype status properties createdAt updatedAt } }';

const post = (query: string, operationName: string, variables?: Record<string, unknown>): RequestTemplate => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json', ...authHeaders },
  body: JSON.stringify({ query, operationName, ...(variables ? { variables } : {}) }),
});

/** The baseline: node:http + graphql-jit over the gateway's schema and database. */
export async function startBaseline(gw: BenchGateway, schema: GraphQLSchema, principal: Principal): Promise<{ url: string; close(): Promise<void> }> {
  const { config, db } = gw.gateway;
  // graphql-jit needs synchronous type resolvers (type-graphql's are async wrappers).
  makeTypeResolversSync(schema);
  type Compiled = { query: CompiledQuery } | { errors: readonly Error[] };
  const compiled = new Map<string, Compiled>();
  const compiledFor = (query: string, operationName?: string): Compiled => {
    const key = `${operationName ?? ''}\n${query}`;
    let c = compiled.get(key);
    if (!c) {
      const doc = parse(query);
      const errors = validate(schema, doc);
      if (errors.length) c = { errors };
      else {
        const q = compileQuery(schema, doc, operationName);
        c = isCompiledQuery(q) ? { query: q } : { errors: (q.errors ?? []) as readonly Error[] };
      }
      if (compiled.size < 1000) compiled.set(key, c);
    }
    return c;
  };
  const send = (res: http.ServerResponse, status: number, payload: unknown) => {
    const body = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            query: string; variables?: Record<string, unknown>; operationName?: string;
          };
          const c = compiledFor(query, operationName);
          if ('errors' in c) return send(res, 400, { errors: c.errors });
          const contextValue = createRequestContext(config, { db, actor: { ...principal, requestId: randomUUID(), idempotencyKey: null } });
          const result = await c.query.query(undefined, contextValue, variables ?? {});
          const body = c.query.stringify(result);
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        } catch (err) {
          send(res, 500, { errors: [{ message: err instanceof Error ? err.message : String(err) }] });
        }
      })();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function answer(url: string, t: RequestTemplate): Promise<{ data?: unknown; errors?: unknown[] }> {
  const res = await fetch(`${url}${t.path}`, { method: t.method, headers: t.headers, body: t.body });
  return (await res.json()) as { data?: unknown; errors?: unknown[] };
}

/** Throughput target/baseline (higher is better, 1.0 = as fast as the baseline), per round pair too. */
function throughputShare(base: SideSummary, target: SideSummary, rounds: RoundRecord[], name: string): Ratio {
  const perRound: number[] = [];
  for (const r of new Set(rounds.map((x) => x.round))) {
    const b = rounds.find((x) => x.round === r && x.label === base.label);
    const t = rounds.find((x) => x.round === r && x.label === target.label);
    if (b && t) perRound.push(round(t.run.load.rps / b.run.load.rps, 3));
  }
  return {
    name,
    meaning: `median req/s of "${target.label}" ÷ median req/s of "${base.label}" (1.0 = as fast as the baseline)`,
    value: round(target.rps / base.rps, 3),
    goal: { op: '>=', value: 0.6 },
    perRound,
  };
}

export const p1: Benchmark = {
  id: 'P1',
  title: 'GraphQL through the gateway vs a minimal node:http + graphql-jit server (list 100 + template, get one)',
  baseline: 'node:http + graphql-jit over the gateway\'s schema, resolvers and data',
  goal: '≥ 0.6× baseline throughput',
  async run(ctx) {
    const started = Date.now();
    // Throughput still climbs for the first ~1,000 requests of a side (JIT), hence the long warm-up.
    // Worst case (every run at its cap): 4 warm-ups × 8 s + 4 rounds × 4 sides × 8 s = 160 s; typically 80–110 s.
    const plan = planFrom(ctx, { rounds: 4, requests: 0, concurrency: 8, capSeconds: 8, warmup: 1000, warmupCapSeconds: 8 });
    const seconds = ctx.option('seconds', 4);
    const minRequests = ctx.option('min-requests', 100);
    const maxRequests = ctx.option('max-requests', 8000);
    const gw = await startBenchGateway();
    let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
    try {
      const db = gw.gateway.db;
      const t0 = Date.now();
      const template = await findSeedTemplate(db, TEMPLATE);
      const objects = await seedObjects(db, template, Array.from({ length: OBJECTS }, (_, i) => `p1 sample ${i}`), sampleProperties);
      await analyze(db);
      const seedMs = Date.now() - t0;
      const euids = objects.filter((_, i) => i % Math.floor(OBJECTS / GET_EUIDS) === 0).slice(0, GET_EUIDS).map((o) => o.euid);

      // Same schema object the gateway serves (built once per process), same principal the bootstrap key yields.
      const schema = await buildLabgraphSchema();
      const principal = await createAuthenticator(db, gw.gateway.config).authenticate(`Bearer ${BENCH_ADMIN_KEY}`);
      if (principal.role !== 'ADMIN') throw new Error(`bootstrap key resolved to role ${principal.role}`);
      baseline = await startBaseline(gw, schema, principal);
      ctx.log(`gateway ${gw.url} on ${gw.database.mode} (${gw.database.version}); baseline ${baseline.url}; seeded ${OBJECTS} objects in ${seedMs} ms`);

      const list = post(LIST_QUERY, 'P1List');
      const gets = euids.map((euid) => post(GET_QUERY, 'P1Get', { euid }));
      for (const t of [list, gets[0], gets[GET_EUIDS - 1]]) {
        const [a, b] = [await answer(baseline.url, t), await answer(gw.url, t)];
        if (a.errors || b.errors || JSON.stringify(a.data) !== JSON.stringify(b.data)) {
          throw new Error(`P1: baseline and gateway answers differ before timing: ${JSON.stringify(a).slice(0, 400)} vs ${JSON.stringify(b).slice(0, 400)}`);
        }
      }
      const listed = (await answer(gw.url, list)).data as { objects: { nodes: unknown[] } };
      if (listed.objects.nodes.length !== 100) throw new Error(`P1: the list returned ${listed.objects.nodes.length} nodes, not 100`);

      const sides: Side[] = [
        { label: 'baseline list 100', role: 'baseline', tag: 'bl', url: baseline.url, load: { requests: [list], check: 'graphql' } },
        { label: 'gateway list 100', role: 'target', tag: 'gl', load: { requests: [list], check: 'graphql' } },
        { label: 'baseline get one', role: 'baseline', tag: 'bg', url: baseline.url, load: { requests: gets, check: 'graphql' } },
        { label: 'gateway get one', role: 'target', tag: 'gg', load: { requests: gets, check: 'graphql' } },
      ];
      ctx.log(`warm-up ${plan.warmup} requests per side, then ${plan.rounds} rounds of ~${seconds} s per side (count from the warm-up's req/s), concurrency ${plan.concurrency}`);
      const { warmup } = await interleave(gw, ctx, sides, { ...plan, rounds: 0 });
      const sized = calibrate(sides, warmup, seconds, minRequests, maxRequests);
      const { rounds } = await interleave(gw, ctx, sized, { ...plan, warmup: 0 });

      const s = sized.map((side) => summarizeSide(side, rounds));
      const pair = (prefix: string, base: SideSummary, target: SideSummary): Ratio[] => {
        const [p50, , cpu] = slowdownRatios(base, target, rounds);
        return [
          throughputShare(base, target, rounds, `${prefix}: throughput gateway/baseline`),
          { ...p50, name: `${prefix}: p50 latency gateway/baseline` },
          { ...cpu, name: `${prefix}: CPU/request gateway/baseline` },
        ];
      };
      const ratios = [...pair('list 100', s[0], s[1]), ...pair('get one', s[2], s[3])];
      const all = [...warmup, ...rounds];
      const sqlPer = (label: string) => median(rounds.filter((r) => r.label === label).map((r) => r.run.server.sqlPerRequest));
      return {
        id: p1.id,
        title: p1.title,
        baseline: p1.baseline,
        goal: p1.goal,
        database: gw.database,
        options: { ...plan, seconds, minRequests, maxRequests },
        sides: s,
        ratios,
        rounds: all,
        checks: { seededObjects: OBJECTS, getEuids: euids.length, seedMs, requestsPerRound: Object.fromEntries(sized.map((x) => [x.label, x.requests])) },
        notes: [
          'baseline: node:http + graphql-jit 0.8.9, compiled queries cached per query text and operation, principal authenticated once',
          `requests per measured round (from the warm-up): ${sized.map((x) => `${x.label} ${x.requests}`).join(', ')}`,
          `sql/req: list ${round(sqlPer('baseline list 100'), 2)} vs ${round(sqlPer('gateway list 100'), 2)}, get one ${round(sqlPer('baseline get one'), 2)} vs ${round(sqlPer('gateway get one'), 2)} (baseline vs gateway)`,
        ],
        warnings: runWarnings(all),
        durationMs: Date.now() - started,
      };
    } finally {
      await baseline?.close().catch(() => undefined);
      await gw.close();
    }
  },
};
