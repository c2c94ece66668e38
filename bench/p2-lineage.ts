// P2 (issue 7): lineage(euid, DESCENDANTS, depth 5) over GraphQL returning ~1,000 nodes,
// against the same recursive CTE (LINEAGE_SQL from src/services/lineage/traverseLineage.ts,
// same parameters) sent directly to the database. Goal: p50 ≤ 1.3×.
//
// The graph is generated under one root in the bench's own fresh database (bench/lib/seed.ts):
// levels of 5, 25, 100, 250, 500 and 300 objects below the root. Every object has a primary
// parent on the level above; every third also has a second parent there (diamonds: two paths
// from the root meet again) and every eleventh on levels 2–4 a third parent two levels up (a
// shortcut, so shortest distances matter). The shortcuts pull part of the sixth level within
// depth 5: 1,001 descendants and 1,353 edges in reach, out of 1,181 objects (root included) and 1,608 edges
// (plus 1,000 unrelated objects). The expected counts are computed here by a breadth-first walk
// of the generated edges and checked against both sides' answers before anything is timed.
//
// Sides, interleaved round by round, same concurrency:
//   direct SQL     LINEAGE_SQL with [rootEuid, true, false, 5, null], called in the bench process:
//                  through `pg` (a pg.Pool of its own on the bench database) on PostgreSQL, through
//                  the gateway's own PGlite handle (gateway.db.query) on the embedded default,
//                  since PGlite is in-process and cannot be reached from anywhere else. No HTTP.
//                  The baseline of the goal.
//   SQL over HTTP  informational: a minimal node:http endpoint in the bench process that runs the
//                  same statement and answers the same JSON as the GraphQL response
//                  ({ data: { lineage: { nodes: [{ id }], edges: [{ id }] } } }), loaded by the
//                  load client like the gateway is: the floor for any HTTP API over this query.
//   GraphQL        the gateway, through the load client (a separate process).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { authHeaders, startBenchGateway, type BenchGateway } from './lib/gateway.js';
import { calibrate, interleave, planFrom, runWarnings, slowdownRatios, summarizeSide, type Side } from './lib/compare.js';
import { analyze, findSeedTemplate, sampleProperties, seedEdges, seedObjects } from './lib/seed.js';
import { round } from './lib/stats.js';
import { LINEAGE_SQL } from '../src/services/lineage/traverseLineage.js';
import type { Benchmark, Ratio } from './lib/types.js';

const TEMPLATE = 'content/sample/gdna/1.0';
const DEPTH = 5;
/** Objects per level below the root (level 1 first). */
const LEVELS = [5, 25, 100, 250, 500, 300];
const UNRELATED = 1000;
export const QUERY = `query P2Lineage($euid: ID!) { lineage(euid: $euid, direction: DESCENDANTS, depth: ${DEPTH}) { nodes { id } edges { id } } }`;

interface Dag {
  /** Internal index → level; index 0 is the root. */
  level: number[];
  /** [parent index, child index]. */
  edges: [number, number][];
}

export function generateDag(): Dag {
  const sizes = [1, ...LEVELS];
  const level: number[] = [];
  const byLevel: number[][] = [];
  for (let k = 0; k < sizes.length; k++) {
    byLevel.push([]);
    for (let j = 0; j < sizes[k]; j++) {
      byLevel[k].push(level.length);
      level.push(k);
    }
  }
  const edges: [number, number][] = [];
  const seen = new Set<string>();
  const link = (p: number, c: number) => {
    const key = `${p}>${c}`;
    if (!seen.has(key)) {
      seen.add(key);
      edges.push([p, c]);
    }
  };
  for (let k = 1; k < sizes.length; k++) {
    const prev = byLevel[k - 1];
    byLevel[k].forEach((c, j) => {
      const p = Math.floor((j * prev.length) / byLevel[k].length);
      link(prev[p], c);
      if (prev.length > 1 && j % 3 === 0) link(prev[(p + 1 + (j % 5)) % prev.length], c); // diamond
      if (k >= 2 && k <= 4 && j % 11 === 0) link(byLevel[k - 2][(j * 7) % byLevel[k - 2].length], c); // shortcut
    });
  }
  return { level, edges };
}

/** What LINEAGE_SQL must answer for DESCENDANTS to `depth`: nodes at shortest distance 1..depth, edges whose parent is within depth − 1. */
function expected(dag: Dag, depth: number) {
  const children = new Map<number, number[]>();
  for (const [p, c] of dag.edges) children.set(p, [...(children.get(p) ?? []), c]);
  const dist = new Map<number, number>([[0, 0]]);
  let frontier = [0];
  for (let d = 1; d <= depth; d++) {
    const next: number[] = [];
    for (const x of frontier) for (const y of children.get(x) ?? []) if (!dist.has(y)) dist.set(y, d), next.push(y);
    frontier = next;
  }
  const parents = new Map<number, number>();
  for (const [, c] of dag.edges) parents.set(c, (parents.get(c) ?? 0) + 1);
  return {
    nodes: dist.size - 1,
    edges: dag.edges.filter(([p]) => (dist.get(p) ?? Infinity) < depth).length,
    multiParent: [...dist.keys()].filter((n) => (parents.get(n) ?? 0) > 1).length,
  };
}

type CteRow = { nodes: unknown; edges: unknown };
const parsed = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
/** The CTE's answer as the GraphQL response's data: node and edge EUIDs in the CTE's order (by id). */
const asGraphqlData = (row: CteRow) => ({
  lineage: {
    nodes: parsed<{ o: { euid: string } }[]>(row.nodes).map((n) => ({ id: n.o.euid })),
    edges: parsed<{ euid: string }[]>(row.edges).map((e) => ({ id: e.euid })),
  },
});

export async function seedDag(gw: BenchGateway, dag: Dag): Promise<{ rootEuid: string; objects: number; edges: number }> {
  const db = gw.gateway.db;
  const template = await findSeedTemplate(db, TEMPLATE);
  const objects = await seedObjects(db, template, dag.level.map((k, i) => `p2 L${k} #${i}`), sampleProperties);
  await seedEdges(db, dag.edges.map(([p, c]) => [objects[p].id, objects[c].id]));
  await seedObjects(db, template, Array.from({ length: UNRELATED }, (_, i) => `p2 unrelated #${i}`), sampleProperties);
  await analyze(db);
  return { rootEuid: objects[0].euid, objects: objects.length, edges: dag.edges.length };
}

/** The informational HTTP floor: the same statement behind node:http, answering the GraphQL response's JSON. */
async function startSqlEndpoint(run: () => Promise<CteRow>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      run().then(
        (row) => {
          const body = JSON.stringify({ data: asGraphqlData(row) });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(err instanceof Error ? err.message : String(err));
        },
      );
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

export const p2: Benchmark = {
  id: 'P2',
  title: 'lineage(DESCENDANTS, depth 5) over GraphQL, ~1,000 nodes, vs the same recursive CTE sent directly',
  baseline: 'LINEAGE_SQL with the same parameters sent directly (pg on PostgreSQL, the gateway\'s PGlite handle on the embedded default)',
  goal: 'p50 ≤ 1.3×',
  async run(ctx) {
    const started = Date.now();
    // Latency is the figure, so one request at a time by default (--concurrency=N to load it).
    // Each side runs ~--seconds per round (its count from its warm-up req/s). Typically
    // 3 × 5 s warm-up + 5 rounds × 3 sides × 4 s ≈ 75 s; worst case (every run at its cap)
    // 3 × 6 s + 15 × 10 s = 168 s, plus start and seed (~5 s).
    const plan = planFrom(ctx, { rounds: 5, requests: 0, concurrency: 1, capSeconds: 10, warmup: 80, warmupCapSeconds: 6 });
    const seconds = ctx.option('seconds', 4);
    const minRequests = ctx.option('min-requests', 20);
    const maxRequests = ctx.option('max-requests', 2000);
    const gw = await startBenchGateway();
    let pool: pg.Pool | undefined;
    let endpoint: Awaited<ReturnType<typeof startSqlEndpoint>> | undefined;
    try {
      const t0 = Date.now();
      const dag = generateDag();
      const want = expected(dag, DEPTH);
      const seeded = await seedDag(gw, dag);
      const seedMs = Date.now() - t0;
      const params = [seeded.rootEuid, true, false, DEPTH, null];

      // The baseline's connection: pg straight to the bench database, or the gateway's PGlite handle.
      let cte: () => Promise<CteRow>;
      if (gw.database.mode === 'postgres') {
        const url = gw.gateway.config.databaseUrl;
        if (!url) throw new Error('PostgreSQL mode without a database URL in the gateway config');
        const p = new pg.Pool({ connectionString: url, max: plan.concurrency });
        pool = p;
        cte = async () => (await p.query<CteRow>(LINEAGE_SQL, params)).rows[0];
      } else {
        const db = gw.gateway.db;
        cte = async () => (await db.query<CteRow>(LINEAGE_SQL, params))[0];
      }
      endpoint = await startSqlEndpoint(cte);
      ctx.log(`gateway ${gw.url} on ${gw.database.mode} (${gw.database.version}); seeded ${seeded.objects} DAG objects + ${UNRELATED} unrelated, `
        + `${seeded.edges} edges in ${seedMs} ms; root ${seeded.rootEuid}; expected ${want.nodes} nodes, ${want.edges} edges within depth ${DEPTH}`);

      // Both sides must give the same, expected answer before anything is timed.
      const direct = asGraphqlData(await cte());
      const res = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders },
        body: JSON.stringify({ query: QUERY, variables: { euid: seeded.rootEuid } }),
      });
      const doc = (await res.json()) as { data?: typeof direct; errors?: unknown[] };
      const responseBytes = Number(res.headers.get('content-length') ?? NaN);
      const viaGraphql = doc.data?.lineage;
      const checks = {
        expectedNodes: want.nodes,
        expectedEdges: want.edges,
        multiParentNodes: want.multiParent,
        directNodes: direct.lineage.nodes.length,
        directEdges: direct.lineage.edges.length,
        graphqlNodes: viaGraphql?.nodes.length ?? null,
        graphqlEdges: viaGraphql?.edges.length ?? null,
        sameAnswer: JSON.stringify(doc.data) === JSON.stringify(direct),
        graphqlResponseBytes: responseBytes,
        seedMs,
      };
      if (doc.errors?.length || !checks.sameAnswer || checks.directNodes !== want.nodes || checks.directEdges !== want.edges) {
        throw new Error(`P2 answers differ before timing: ${JSON.stringify({ ...checks, errors: doc.errors })}`);
      }

      const body = JSON.stringify({ query: QUERY, operationName: 'P2Lineage', variables: { euid: seeded.rootEuid } });
      const DIRECT: Side = { label: 'direct SQL', role: 'baseline', tag: 'd', direct: async () => void (await cte()) };
      const FLOOR: Side = {
        label: 'SQL over node:http',
        role: 'baseline',
        tag: 'h',
        url: endpoint.url,
        load: { requests: [{ method: 'POST', path: '/lineage', headers: { 'content-type': 'application/json' }, body }], check: 'status' },
      };
      const GRAPHQL: Side = {
        label: 'GraphQL lineage',
        role: 'target',
        tag: 'g',
        load: { requests: [{ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', ...authHeaders }, body }], check: 'graphql' },
      };
      ctx.log(`warm-up ${plan.warmup} requests per side, then ${plan.rounds} rounds of ~${seconds} s per side (count from the warm-up's req/s), concurrency ${plan.concurrency}`);
      const { warmup } = await interleave(gw, ctx, [DIRECT, FLOOR, GRAPHQL], { ...plan, rounds: 0 });
      const sized = calibrate([DIRECT, FLOOR, GRAPHQL], warmup, seconds, minRequests, maxRequests);
      const { rounds } = await interleave(gw, ctx, sized, { ...plan, warmup: 0 });
      const [base, floor, target] = sized.map((side) => summarizeSide(side, rounds));
      const goal = { op: '<=' as const, value: 1.3 };
      const [p50, rps, cpu] = slowdownRatios(base, target, rounds, goal);
      const [floorP50] = slowdownRatios(floor, target, rounds);
      const [floorOverSql] = slowdownRatios(base, floor, rounds);
      const ratios: Ratio[] = [
        { ...p50, name: 'p50 latency GraphQL/direct SQL' },
        { ...rps, name: 'throughput direct SQL/GraphQL', goal: undefined },
        { ...cpu, name: 'CPU/request GraphQL/direct SQL' },
        { ...floorP50, name: 'p50 latency GraphQL/SQL over node:http', meaning: 'how much the gateway adds over the thinnest HTTP endpoint for the same statement' },
        { ...floorOverSql, name: 'p50 latency SQL over node:http/direct SQL', meaning: 'what HTTP, the load client and the JSON response alone add' },
      ];
      const all = [...warmup, ...rounds];
      const warnings = runWarnings(all);
      return {
        id: p2.id,
        title: p2.title,
        baseline: p2.baseline,
        goal: p2.goal,
        database: gw.database,
        options: { ...plan, seconds, minRequests, maxRequests },
        sides: [base, floor, target],
        ratios,
        rounds: all,
        checks: { ...checks, requestsPerRound: Object.fromEntries(sized.map((x) => [x.label, x.requests])) },
        notes: [
          `${want.nodes} nodes and ${want.edges} edges per answer (${want.multiParent} nodes with more than one parent); GraphQL response ${responseBytes} bytes`,
          `direct SQL runs in the bench process (${gw.database.mode === 'postgres' ? 'a pg.Pool of its own, so sql/req shows only the gateway\'s background statements' : 'the gateway\'s PGlite handle'}); the other two sides go through the load client`,
          `median p50: direct ${round(base.p50, 2)} ms, node:http ${round(floor.p50, 2)} ms, GraphQL ${round(target.p50, 2)} ms`,
          `requests per measured round (from the warm-up): ${sized.map((x) => `${x.label} ${x.requests}`).join(', ')}`,
        ],
        warnings,
        durationMs: Date.now() - started,
      };
    } finally {
      await endpoint?.close().catch(() => undefined);
      await pool?.end().catch(() => undefined);
      await gw.close();
    }
  },
};
