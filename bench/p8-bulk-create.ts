// P8 (issue 7): bulk-create 100,000 samples through the fastest public path, the GraphQL
// createObjects mutation in batches (--batch, default and maximum 1,000 per call), driven
// by the load client (a separate process), against a multi-row INSERT of the same rows
// through `pg` (the gateway's PGlite handle on the embedded default), in the same batch
// size and concurrency. The figure is reported, not judged: objects/s of each side and the
// time ratio public/INSERT.
//
// Sides, interleaved in --rounds rounds of --objects ÷ rounds objects each:
//   INSERT (baseline)  per batch: mint the EUIDs from the template's sequence (one SELECT
//                      nextval … generate_series, formatted as mintEuids does), then one
//                      INSERT … SELECT FROM unnest(…) of material_object rows with the same
//                      columns the service writes. Nothing else.
//   INSERT + audit + outbox (informational)  the same, plus what the public path also writes
//                      per object: one audit_log row and two outbox_event rows
//                      (object.created, content.created), in one transaction per batch.
//   createObjects      the public path: authentication, parsing and validation of every
//                      input, template checks, the write transaction (EUIDs, objects, audit,
//                      outbox) and the response (the id of each object).
// Each side writes into the same tables, which grow during the run; interleaving spreads
// that over the sides. The outbox dispatcher runs meanwhile, as it would in production,
// and its cost (publishing the events) lands in the gateway process.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { authHeaders, startBenchGateway } from './lib/gateway.js';
import { interleave, runWarnings, summarizeSide, type RoundRecord, type Side } from './lib/compare.js';
import { findSeedTemplate, sampleProperties, type SeedTemplate } from './lib/seed.js';
import { median, round } from './lib/stats.js';
import { formatEuid } from '../src/domain/euid.js';
import { sequenceName } from '../src/services/mintEuid.js';
import { MAX_CREATE_OBJECTS } from '../src/services/objects/createObjects.js';
import type { Benchmark, Ratio, RequestTemplate, SideSummary } from './lib/types.js';

const TEMPLATE = 'content/sample/gdna/1.0';
const MUTATION = 'mutation P8Bulk($inputs: [CreateObjectInput!]!) { createObjects(inputs: $inputs) { id } }';

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

/** The rows of one batch: names unique per batch and index, properties inside the template's schema. */
function batchRows(tag: string, size: number) {
  return Array.from({ length: size }, (_, k) => ({ name: `p8 ${tag} ${k}`, properties: sampleProperties(k) }));
}

async function insertBatch(q: Query, t: SeedTemplate, tag: string, size: number, withAuditAndOutbox: boolean): Promise<void> {
  const rows = batchRows(tag, size);
  const minted = (await q(`SELECT nextval($1::regclass) AS n FROM generate_series(1, $2::int)`, [sequenceName(t.prefix), size])) as { n: string | number }[];
  const euids = minted.map((r) => formatEuid(t.prefix, BigInt(r.n)));
  const insertObjects = `INSERT INTO material_object (euid, category, type, subtype, template_id, status, name, properties, updated_at)
    SELECT u.euid, $4, $5, $6, $7::int, 'active', u.name, u.props::jsonb, now()
    FROM unnest($1::text[], $2::text[], $3::text[]) AS u(euid, name, props)`;
  const params = [euids, rows.map((r) => r.name), rows.map((r) => JSON.stringify(r.properties)), t.category, t.type, t.subtype, t.id];
  if (!withAuditAndOutbox) {
    await q(insertObjects, params);
    return;
  }
  const audit = euids.map((e, k) => ({ euid: e, changes: { name: { old: null, new: rows[k].name }, properties: { old: null, new: rows[k].properties } } }));
  const events = euids.flatMap((e, k) => ['object.created', 'content.created'].map((type) => ({
    event_id: `evt_${randomBytes(12).toString('hex')}`, type, euid: e, data: { euid: e, category: t.category, type: t.type, subtype: t.subtype, name: rows[k].name },
  })));
  await q(
    `WITH o AS (${insertObjects}),
     a AS (INSERT INTO audit_log (actor_kind, actor_id, operation, entity_type, entity_euid, changes)
           SELECT 'service_account', 'bench', 'createObject', $4, r.euid, r.changes FROM jsonb_to_recordset($8::jsonb) AS r(euid text, changes jsonb))
     INSERT INTO outbox_event (event_id, type, euid, data)
     SELECT r.event_id, r.type, r.euid, r.data FROM jsonb_to_recordset($9::jsonb) AS r(event_id text, type text, euid text, data jsonb)`,
    [...params, JSON.stringify(audit), JSON.stringify(events)],
  );
}

/** Objects per second of one side (median across its rounds), from requests/s × batch size. */
const objectsPerSecond = (s: SideSummary, batch: number) => round(s.rps * batch, 0);

export const p8: Benchmark = {
  id: 'P8',
  title: 'bulk create 100,000 samples: GraphQL createObjects in batches vs a multi-row INSERT of the same rows',
  baseline: 'multi-row INSERT of the same material_object rows through pg (the gateway\'s PGlite handle on the embedded default), same batches and concurrency',
  goal: 'report the ratio',
  async run(ctx) {
    const started = Date.now();
    const objects = ctx.option('objects', 100_000);
    const batch = Math.min(MAX_CREATE_OBJECTS, ctx.option('batch', MAX_CREATE_OBJECTS));
    const rounds = ctx.option('rounds', 2);
    const concurrency = ctx.option('concurrency', 2);
    const capSeconds = ctx.option('cap', 300);
    const perRound = Math.max(1, Math.round(objects / rounds / batch));
    const gw = await startBenchGateway();
    let pool: pg.Pool | undefined;
    try {
      const t = await findSeedTemplate(gw.gateway.db, TEMPLATE);
      let q: Query;
      if (gw.database.mode === 'postgres') {
        const url = gw.gateway.config.databaseUrl;
        if (!url) throw new Error('PostgreSQL mode without a database URL in the gateway config');
        const p = new pg.Pool({ connectionString: url, max: concurrency });
        pool = p;
        q = async (sql, params) => (await p.query(sql, params)).rows;
      } else {
        const db = gw.gateway.db;
        q = (sql, params) => db.query(sql, params);
      }
      const body = (tag: string) => JSON.stringify({
        query: MUTATION,
        operationName: 'P8Bulk',
        variables: { inputs: batchRows(tag, batch).map((r) => ({ templateCode: TEMPLATE, name: r.name, properties: r.properties })) },
      });
      // {{seq}} inside the names makes every batch's names unique across the run.
      const bulk: RequestTemplate = { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', ...authHeaders }, body: body('{{seq}}') };
      const INSERT: Side = { label: 'multi-row INSERT', role: 'baseline', tag: 'i', direct: (i) => insertBatch(q, t, `i${Date.now()}-${i}`, batch, false) };
      const INSERT_ALL: Side = { label: 'INSERT + audit + outbox', role: 'baseline', tag: 'a', direct: (i) => insertBatch(q, t, `a${Date.now()}-${i}`, batch, true) };
      const PUBLIC: Side = { label: 'createObjects', role: 'target', tag: 'g', load: { requests: [bulk], check: 'graphql', requestTimeoutMs: 60_000 } };
      const sides = [INSERT, INSERT_ALL, PUBLIC].map((s) => ({ ...s, requests: perRound }));
      ctx.log(`gateway ${gw.url} on ${gw.database.mode} (${gw.database.version}); ${objects} objects per side in batches of ${batch}: `
        + `${rounds} rounds × ${perRound} batches, concurrency ${concurrency}; warm-up 4 batches per side`);
      const plan = { rounds, requests: perRound, concurrency, capSeconds, warmup: 4, warmupCapSeconds: 60 };
      const { warmup, rounds: recs } = await interleave(gw, ctx, sides, plan);
      const s = sides.map((side) => summarizeSide(side, recs));
      const [base, all, target] = s;

      const countOf = async (sql: string) => Number(((await gw.gateway.db.query<{ n: number }>(sql))[0])?.n ?? NaN);
      const checks = {
        publicObjects: await countOf(`SELECT count(*)::int AS n FROM material_object WHERE name LIKE 'p8 g%'`),
        insertObjects: await countOf(`SELECT count(*)::int AS n FROM material_object WHERE name LIKE 'p8 i%'`),
        publicAuditRows: await countOf(`SELECT count(*)::int AS n FROM audit_log WHERE operation = 'createObject' AND actor_id <> 'bench'`),
        publicOutboxRows: await countOf(`SELECT count(*)::int AS n FROM outbox_event WHERE data->>'name' LIKE 'p8 g%'`),
        batch,
        batchesPerRound: perRound,
      };
      const okBatches = [...warmup, ...recs].filter((r) => r.label === 'createObjects').reduce((a, r) => a + r.run.load.ok, 0);
      const warnings = runWarnings([...warmup, ...recs]);
      if (checks.publicObjects !== okBatches * batch) warnings.push(`createObjects made ${checks.publicObjects} objects for ${okBatches} ok batches of ${batch}`);

      const timeRatio = (b: SideSummary, name: string, meaning: string, records: RoundRecord[]): Ratio => {
        const per: number[] = [];
        for (const r of new Set(records.map((x) => x.round))) {
          const x = records.find((y) => y.round === r && y.label === b.label);
          const y = records.find((z) => z.round === r && z.label === target.label);
          if (x && y) per.push(round(x.run.load.rps / y.run.load.rps, 3));
        }
        return { name, meaning, value: round(b.rps / target.rps, 3), perRound: per };
      };
      const ratios: Ratio[] = [
        timeRatio(base, 'time createObjects/multi-row INSERT', `median objects/s of "${base.label}" ÷ that of "${target.label}" (how many times longer the public path takes)`, recs),
        timeRatio(all, 'time createObjects/INSERT + audit + outbox', `the same against "${all.label}", which writes every row the public path writes`, recs),
        { name: 'createObjects objects/s', meaning: 'median objects per second through the public path', value: objectsPerSecond(target, batch), unit: '/s' },
      ];
      const p50Batch = median(recs.filter((r) => r.label === 'createObjects').map((r) => r.run.load.latencyMs.p50));
      return {
        id: p8.id,
        title: p8.title,
        baseline: p8.baseline,
        goal: p8.goal,
        database: gw.database,
        options: { objects, batch, rounds, concurrency, capSeconds },
        sides: s,
        ratios,
        rounds: [...warmup, ...recs],
        checks,
        notes: [
          `objects/s (median of ${rounds} rounds): multi-row INSERT ${objectsPerSecond(base, batch)}, INSERT + audit + outbox ${objectsPerSecond(all, batch)}, createObjects ${objectsPerSecond(target, batch)}`,
          `createObjects: p50 ${round(p50Batch, 1)} ms per batch of ${batch}; gateway CPU ${round(target.cpuMsPerRequest / batch, 3)} ms per object; ${round(target.sqlPerRequest, 1)} statements per batch`,
          `written by createObjects: ${checks.publicObjects} objects, ${checks.publicAuditRows} audit rows, ${checks.publicOutboxRows} outbox events`,
          'req/s in the side table are batches per second',
        ],
        warnings,
        durationMs: Date.now() - started,
      };
    } finally {
      await pool?.end().catch(() => undefined);
      await gw.close();
    }
  },
};
