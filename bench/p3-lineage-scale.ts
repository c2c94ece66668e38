// P3 (issue 7): the same lineage neighbourhood query on a synthetic DAG of 10^4 edges and
// on one of 10^6 edges, each in a fresh database of its own behind a gateway of its own
// (both in the bench process), interleaved round by round. Goal: p50 at 10^6 ≤ 2× p50 at
// 10^4, i.e. the query costs what its neighbourhood costs, not what the graph costs.
//
// The DAGs are generated in SQL (generate_series), straight into each database:
//   - W objects per layer (default 250), layers 0, 1, 2, …; object i is at layer ⌊i / W⌋,
//     position i mod W;
//   - every object below layer 0 has two parents on the layer above, at positions p and
//     (7p + 1) mod W: multi-parent everywhere, and diamonds (two paths from an ancestor
//     meet again two layers down);
//   - so edges = 2 × (objects − W): 5,250 objects for 10^4 edges, 500,250 for 10^6.
// EUIDs come from the template's and the edge prefix's sequences, formatted by a SQL
// function that is created for the seeding and dropped after it (checked against
// formatEuid before use). Every layer has the same local shape, so the neighbourhood of
// the root (layer 8, position 0) is the same in both graphs, which the bench checks
// before timing (same node and edge counts).
//
// The query: lineage(euid: root, direction: BOTH, depth: 6) { nodes { id } edges { id } },
// one request at a time (latency is the figure), from the load client.
import { authHeaders, startBenchGateway, type BenchGateway } from './lib/gateway.js';
import { calibrate, interleave, planFrom, runWarnings, slowdownRatios, summarizeSide, type Side } from './lib/compare.js';
import { findSeedTemplate } from './lib/seed.js';
import { round } from './lib/stats.js';
import { PREFIX, formatEuid } from '../src/domain/euid.js';
import { DEFAULT_RELATIONSHIP_TYPE } from '../src/domain/lineageRules.js';
import { sequenceName } from '../src/services/mintEuid.js';
import type { Database } from '../src/db/database.js';
import type { BenchContext, Benchmark, Ratio } from './lib/types.js';

const TEMPLATE = 'content/sample/gdna/1.0';
const ROOT_LAYER = 8;
const DEPTH = 6;
const QUERY = `query P3Lineage($euid: ID!) { lineage(euid: $euid, direction: BOTH, depth: ${DEPTH}) { nodes { id } edges { id } } }`;

/** formatEuid in PL/pgSQL: Crockford base-32 body, Luhn mod-32 check character over prefix + body. */
const EUID_FN = `
CREATE OR REPLACE FUNCTION lg_bench_euid(prefix text, n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  a constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  body text := '';
  v bigint := n;
  chars text;
  f int := 2;
  s int := 0;
  ad int;
BEGIN
  WHILE v > 0 LOOP
    body := substr(a, (v % 32)::int + 1, 1) || body;
    v := v / 32;
  END LOOP;
  chars := prefix || body;
  FOR i IN REVERSE length(chars)..1 LOOP
    ad := f * (strpos(a, substr(chars, i, 1)) - 1);
    f := CASE WHEN f = 2 THEN 1 ELSE 2 END;
    s := s + ad / 32 + ad % 32;
  END LOOP;
  RETURN prefix || '-' || body || substr(a, ((32 - s % 32) % 32) + 1, 1);
END $$`;

interface Graph {
  gw: BenchGateway;
  edges: number;
  objects: number;
  rootEuid: string;
  seedMs: number;
}

/** Generates the layered DAG with `edges` edges (rounded to whole layers) in the gateway's fresh database. */
async function seedLayered(gw: BenchGateway, edges: number, width: number, ctx: BenchContext): Promise<Graph> {
  const db: Database = gw.gateway.db;
  const t0 = Date.now();
  const layers = Math.max(ROOT_LAYER + DEPTH + 1, Math.round(edges / (2 * width)) + 1);
  const objects = layers * width;
  await db.exec(EUID_FN);
  const [probe] = await db.query<{ e: string }>(`SELECT lg_bench_euid('BCT', 123456789) AS e`);
  if (probe?.e !== formatEuid('BCT', 123456789)) throw new Error(`P3: lg_bench_euid gives ${probe?.e}, formatEuid ${formatEuid('BCT', 123456789)}`);

  const t = await findSeedTemplate(db, TEMPLATE);
  const chunk = 100_000;
  // Objects: index i in name order; ids are consecutive because nothing else inserts meanwhile (checked below).
  for (let from = 0; from < objects; from += chunk) {
    const to = Math.min(objects, from + chunk) - 1;
    await db.query(
      `INSERT INTO material_object (euid, category, type, subtype, template_id, status, name, properties, updated_at)
       SELECT lg_bench_euid($1, nextval($2::regclass)), $3, $4, $5, $6::int, 'active', 'p3 ' || i, '{}'::jsonb, now()
       FROM generate_series($7::int, $8::int) AS i ORDER BY i`,
      [t.prefix, sequenceName(t.prefix), t.category, t.type, t.subtype, t.id, from, to],
    );
  }
  const [range] = await db.query<{ lo: number; hi: number; n: number }>(
    `SELECT min(id)::int AS lo, max(id)::int AS hi, count(*)::int AS n FROM material_object WHERE name LIKE 'p3 %'`,
  );
  if (!range || range.n !== objects || range.hi - range.lo + 1 !== objects) throw new Error(`P3: object ids are not consecutive: ${JSON.stringify(range)}`);
  const base = range.lo;
  for (let from = width; from < objects; from += chunk / 2) {
    const to = Math.min(objects, from + chunk / 2) - 1;
    await db.query(
      `INSERT INTO lineage_edge (euid, parent_id, child_id, relationship_type, properties)
       SELECT lg_bench_euid($1, nextval($2::regclass)), $3::int + p.parent, $3::int + i, $4, '{}'::jsonb
       FROM generate_series($5::int, $6::int) AS i,
            LATERAL (VALUES ((i / $7::int - 1) * $7::int + i % $7::int),
                            ((i / $7::int - 1) * $7::int + (7 * (i % $7::int) + 1) % $7::int)) AS p(parent)
       ORDER BY i, p.parent`,
      [PREFIX.edge, sequenceName(PREFIX.edge), base, DEFAULT_RELATIONSHIP_TYPE, from, to, width],
    );
    if (objects > 100_000 && (from - width) % 200_000 === 0) ctx.log(`  ${gw.database.mode}: edges for objects ${from}…${to} of ${objects}`);
  }
  await db.exec('DROP FUNCTION lg_bench_euid(text, bigint); ANALYZE material_object; ANALYZE lineage_edge;');
  const [counts] = await db.query<{ e: number }>(`SELECT count(*)::int AS e FROM lineage_edge`);
  const [root] = await db.query<{ euid: string; name: string }>(`SELECT euid, name FROM material_object WHERE id = $1`, [base + ROOT_LAYER * width]);
  if (root?.name !== `p3 ${ROOT_LAYER * width}`) throw new Error(`P3: id ${base + ROOT_LAYER * width} is ${root?.name}, not p3 ${ROOT_LAYER * width}`);
  return { gw, edges: counts?.e ?? 0, objects, rootEuid: root.euid, seedMs: Date.now() - t0 };
}

async function lineageCounts(g: Graph): Promise<{ nodes: number; edges: number; errors?: unknown }> {
  const res = await fetch(`${g.gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders },
    body: JSON.stringify({ query: QUERY, variables: { euid: g.rootEuid } }),
  });
  const doc = (await res.json()) as { data?: { lineage: { nodes: unknown[]; edges: unknown[] } }; errors?: unknown };
  return { nodes: doc.data?.lineage.nodes.length ?? -1, edges: doc.data?.lineage.edges.length ?? -1, errors: doc.errors };
}

export const p3: Benchmark = {
  id: 'P3',
  title: 'lineage(BOTH, depth 6) around the same neighbourhood on synthetic DAGs of 10^4 and 10^6 edges',
  baseline: 'the same query on the 10^4-edge DAG (its own fresh database and gateway, same run)',
  goal: 'p50 ≤ 2×',
  async run(ctx) {
    const started = Date.now();
    const plan = planFrom(ctx, { rounds: 5, requests: 0, concurrency: 1, capSeconds: 10, warmup: 100, warmupCapSeconds: 6 });
    const seconds = ctx.option('seconds', 4);
    const minRequests = ctx.option('min-requests', 20);
    const maxRequests = ctx.option('max-requests', 4000);
    const width = ctx.option('width', 250);
    const smallEdges = ctx.option('small-edges', 10_000);
    const largeEdges = ctx.option('large-edges', 1_000_000);
    let small: BenchGateway | undefined;
    let large: BenchGateway | undefined;
    try {
      small = await startBenchGateway();
      large = await startBenchGateway();
      const a = await seedLayered(small, smallEdges, width, ctx);
      ctx.log(`small: ${a.objects} objects, ${a.edges} edges in ${a.seedMs} ms (${small.database.mode}, ${small.database.version})`);
      const b = await seedLayered(large, largeEdges, width, ctx);
      ctx.log(`large: ${b.objects} objects, ${b.edges} edges in ${b.seedMs} ms`);

      const [ca, cb] = [await lineageCounts(a), await lineageCounts(b)];
      if (ca.errors || cb.errors || ca.nodes <= 0 || ca.nodes !== cb.nodes || ca.edges !== cb.edges) {
        throw new Error(`P3: the neighbourhoods differ before timing: ${JSON.stringify({ small: ca, large: cb })}`);
      }
      ctx.log(`neighbourhood of ${a.rootEuid} / ${b.rootEuid}: ${ca.nodes} nodes, ${ca.edges} edges in both graphs`);

      const request = (root: string) => ({
        requests: [{ method: 'POST' as const, path: '/graphql', headers: { 'content-type': 'application/json', ...authHeaders },
          body: JSON.stringify({ query: QUERY, operationName: 'P3Lineage', variables: { euid: root } }) }],
        check: 'graphql' as const,
      });
      const SMALL: Side = { label: `10^${Math.round(Math.log10(a.edges))} edges`, role: 'baseline', tag: 's', load: request(a.rootEuid) };
      const LARGE: Side = { label: `10^${Math.round(Math.log10(b.edges))} edges`, role: 'target', tag: 'l', url: large.url, load: request(b.rootEuid) };
      ctx.log(`warm-up ${plan.warmup} requests per side, then ${plan.rounds} rounds of ~${seconds} s per side, concurrency ${plan.concurrency}`);
      const { warmup } = await interleave(small, ctx, [SMALL, LARGE], { ...plan, rounds: 0 });
      const sized = calibrate([SMALL, LARGE], warmup, seconds, minRequests, maxRequests);
      const { rounds } = await interleave(small, ctx, sized, { ...plan, warmup: 0 });
      const [base, target] = sized.map((side) => summarizeSide(side, rounds));
      const [p50, rps, cpu] = slowdownRatios(base, target, rounds, { op: '<=', value: 2 });
      const ratios: Ratio[] = [
        { ...p50, name: 'p50 latency 10^6/10^4' },
        { ...rps, name: 'throughput 10^4/10^6', goal: undefined },
        { ...cpu, name: 'CPU/request 10^6/10^4' },
      ];
      const all = [...warmup, ...rounds];
      return {
        id: p3.id,
        title: p3.title,
        baseline: p3.baseline,
        goal: p3.goal,
        database: small.database,
        options: { ...plan, seconds, minRequests, maxRequests, width, smallEdges, largeEdges },
        sides: [base, target],
        ratios,
        rounds: all,
        checks: { small: { objects: a.objects, edges: a.edges, seedMs: a.seedMs }, large: { objects: b.objects, edges: b.edges, seedMs: b.seedMs }, neighbourhood: ca },
        notes: [
          `graphs: ${a.objects} objects / ${a.edges} edges and ${b.objects} objects / ${b.edges} edges, ${width} per layer, two parents each`,
          `neighbourhood (BOTH, depth ${DEPTH}, root on layer ${ROOT_LAYER}): ${ca.nodes} nodes, ${ca.edges} edges in both`,
          `median p50: ${round(base.p50, 2)} ms at 10^4, ${round(target.p50, 2)} ms at 10^6`,
          'both gateways run in the bench process: CPU/request covers both, sql/req counts only the 10^4 gateway\'s statements',
        ],
        warnings: runWarnings(all),
        durationMs: Date.now() - started,
      };
    } finally {
      await large?.close().catch(() => undefined);
      await small?.close();
    }
  },
};
