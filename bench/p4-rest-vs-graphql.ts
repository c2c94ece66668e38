// P4 (issue 7): REST reads against their GraphQL twins over the same data, in one gateway,
// interleaved round by round. Goal: REST ≤ 1.15× GraphQL (p50 latency and throughput).
//
//   get one   GET /api/v1/objects/{euid}
//             vs query { object(euid:) { id name type subtype status properties createdAt } }
//             round-robin over 100 EUIDs
//   list      GET /api/v1/objects/?page_size=100
//             vs query { objects(first: 100) { nodes { id name type subtype status } totalCount } }
//
// Data: 1,000 gDNA samples (content/sample/gdna/1.0) seeded straight into the bench's fresh
// database (bench/lib/seed.ts). Each pair's answers are compared field by field before timing.
// Sides run for about --seconds each: their request counts come from their warm-up throughput.
import { authHeaders, startBenchGateway, type BenchGateway } from './lib/gateway.js';
import { calibrate, interleave, planFrom, runWarnings, slowdownRatios, summarizeSide, type Side } from './lib/compare.js';
import { analyze, findSeedTemplate, sampleProperties, seedObjects } from './lib/seed.js';
import type { Benchmark, Ratio, RequestTemplate } from './lib/types.js';

const TEMPLATE = 'content/sample/gdna/1.0';
const OBJECTS = 1000;
const GET_EUIDS = 100;
const PAGE = 100;
const GET_QUERY = 'query P4Get($euid: ID!) { object(euid: $euid) { id name type subtype status properties createdAt } }';
const LIST_QUERY = `query P4List { objects(first: ${PAGE}) { nodes { id name type subtype status } totalCount } }`;

const gql = (query: string, operationName: string, variables?: Record<string, unknown>): RequestTemplate => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json', ...authHeaders },
  body: JSON.stringify({ query, operationName, ...(variables ? { variables } : {}) }),
});
const rest = (path: string): RequestTemplate => ({ method: 'GET', path, headers: { ...authHeaders } });

async function getJson<T>(gw: BenchGateway, t: RequestTemplate): Promise<T> {
  const res = await fetch(`${gw.url}${t.path}`, { method: t.method, headers: t.headers, body: t.body });
  if (!res.ok) throw new Error(`${t.method} ${t.path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface RestObject { euid: string; name: string; type: string; subtype: string; status: string; json_addl: { properties: unknown }; created_at: string }
interface RestList { items: { euid: string; name: string; type: string; subtype: string; status: string }[]; total: number }
interface GqlObject { id: string; name: string; type: string; subtype: string; status: string; properties?: unknown; createdAt?: string }

/** The same facts through both doors, or a description of the first difference. */
async function compareAnswers(gw: BenchGateway, euids: string[]): Promise<string[]> {
  const diffs: string[] = [];
  for (const euid of euids.slice(0, 5)) {
    const r = await getJson<RestObject>(gw, rest(`/api/v1/objects/${euid}`));
    const g = (await getJson<{ data: { object: GqlObject } }>(gw, gql(GET_QUERY, 'P4Get', { euid }))).data.object;
    const a = { euid: r.euid, name: r.name, type: r.type, subtype: r.subtype, status: r.status, properties: r.json_addl.properties, createdAt: r.created_at };
    const b = { euid: g.id, name: g.name, type: g.type, subtype: g.subtype, status: g.status, properties: g.properties, createdAt: g.createdAt };
    if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`get ${euid}: REST ${JSON.stringify(a)} vs GraphQL ${JSON.stringify(b)}`);
  }
  const rl = await getJson<RestList>(gw, rest(`/api/v1/objects/?page_size=${PAGE}`));
  const gl = (await getJson<{ data: { objects: { nodes: GqlObject[]; totalCount: number } } }>(gw, gql(LIST_QUERY, 'P4List'))).data.objects;
  const ra = rl.items.map((o) => [o.euid, o.name, o.type, o.subtype, o.status]);
  const ga = gl.nodes.map((o) => [o.id, o.name, o.type, o.subtype, o.status]);
  if (ra.length !== PAGE || JSON.stringify(ra) !== JSON.stringify(ga)) diffs.push(`list: ${ra.length} REST items vs ${ga.length} GraphQL nodes, or different contents`);
  if (rl.total !== gl.totalCount || rl.total !== OBJECTS) diffs.push(`list: REST total ${rl.total}, GraphQL totalCount ${gl.totalCount}, seeded ${OBJECTS}`);
  return diffs;
}

export const p4: Benchmark = {
  id: 'P4',
  title: 'REST reads vs their GraphQL twins (get one object, list 100)',
  baseline: 'the same read through GraphQL',
  goal: '≤ 1.15×',
  async run(ctx) {
    const started = Date.now();
    // Throughput still climbs for the first ~1,000 requests of a side (JIT), hence the long warm-up.
    // Worst case (every run at its cap): 4 warm-ups × 8 s + 4 rounds × 4 sides × 8 s = 160 s; typically 80–110 s.
    const plan = planFrom(ctx, { rounds: 4, requests: 0, concurrency: 8, capSeconds: 8, warmup: 1000, warmupCapSeconds: 8 });
    const seconds = ctx.option('seconds', 4);
    const minRequests = ctx.option('min-requests', 100);
    const maxRequests = ctx.option('max-requests', 6000);
    const gw = await startBenchGateway();
    try {
      const t0 = Date.now();
      const template = await findSeedTemplate(gw.gateway.db, TEMPLATE);
      const objects = await seedObjects(gw.gateway.db, template, Array.from({ length: OBJECTS }, (_, i) => `p4 sample ${i}`), sampleProperties);
      await analyze(gw.gateway.db);
      const seedMs = Date.now() - t0;
      const euids = objects.filter((_, i) => i % Math.floor(OBJECTS / GET_EUIDS) === 0).slice(0, GET_EUIDS).map((o) => o.euid);
      ctx.log(`gateway ${gw.url} on ${gw.database.mode} (${gw.database.version}); seeded ${OBJECTS} objects in ${seedMs} ms`);

      const diffs = await compareAnswers(gw, euids);
      if (diffs.length) throw new Error(`P4: REST and GraphQL answers differ before timing: ${diffs.join('; ')}`);

      const sides: Side[] = [
        { label: 'GraphQL object(euid)', role: 'baseline', tag: 'gg', load: { requests: euids.map((euid) => gql(GET_QUERY, 'P4Get', { euid })), check: 'graphql' } },
        { label: 'REST GET objects/{euid}', role: 'target', tag: 'rg', load: { requests: euids.map((euid) => rest(`/api/v1/objects/${euid}`)), check: 'status' } },
        { label: 'GraphQL objects(first:100)', role: 'baseline', tag: 'gl', load: { requests: [gql(LIST_QUERY, 'P4List')], check: 'graphql' } },
        { label: 'REST GET objects/?page_size=100', role: 'target', tag: 'rl', load: { requests: [rest(`/api/v1/objects/?page_size=${PAGE}`)], check: 'status' } },
      ];
      ctx.log(`warm-up ${plan.warmup} requests per side, then ${plan.rounds} rounds of ~${seconds} s per side (count from the warm-up's req/s), concurrency ${plan.concurrency}`);
      const { warmup } = await interleave(gw, ctx, sides, { ...plan, rounds: 0 });
      const sized = calibrate(sides, warmup, seconds, minRequests, maxRequests);
      const { rounds } = await interleave(gw, ctx, sized, { ...plan, warmup: 0 });

      const s = sized.map((side) => summarizeSide(side, rounds));
      const goal = { op: '<=' as const, value: 1.15 };
      const pair = (prefix: string, base: (typeof s)[number], target: (typeof s)[number]): Ratio[] => {
        const [p50, rps, cpu] = slowdownRatios(base, target, rounds, goal);
        return [
          { ...p50, name: `${prefix}: p50 latency REST/GraphQL` },
          { ...rps, name: `${prefix}: throughput GraphQL/REST` },
          { ...cpu, name: `${prefix}: CPU/request REST/GraphQL` },
        ];
      };
      const all = [...warmup, ...rounds];
      return {
        id: p4.id,
        title: p4.title,
        baseline: p4.baseline,
        goal: p4.goal,
        database: gw.database,
        options: { ...plan, seconds, minRequests, maxRequests },
        sides: s,
        ratios: [...pair('get one', s[0], s[1]), ...pair('list 100', s[2], s[3])],
        rounds: all,
        checks: { seededObjects: OBJECTS, getEuids: euids.length, seedMs, requestsPerRound: Object.fromEntries(sized.map((x) => [x.label, x.requests])) },
        notes: [
          `requests per measured round (from the warm-up): ${sized.map((x) => `${x.label} ${x.requests}`).join(', ')}`,
          'throughput GraphQL/REST > 1 means REST is slower; < 1 means REST is faster',
        ],
        warnings: runWarnings(all),
        durationMs: Date.now() - started,
      };
    } finally {
      await gw.close();
    }
  },
};
