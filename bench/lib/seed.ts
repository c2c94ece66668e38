// Read-benchmark data, written straight into the bench's own fresh database with
// multi-row INSERTs (thousands of rows in well under a second, where createObject
// would take tens of seconds). The rows mirror what the services write:
//   material_object  euid = formatEuid(template prefix, nextval('euid_seq_<prefix>')),
//                    category/type/subtype/template_id of a seeded template, status
//                    'active', properties inside the template's schema, updated_at = now()
//   lineage_edge     euid = formatEuid('EDG', nextval('euid_seq_edg')), relationship_type
//                    'generic', properties {}
// What they leave out: audit_log rows and outbox events (no reader in the read benchmarks
// looks at them) and the linkLineage cycle check (the generated graph is a DAG by
// construction: every edge goes from a lower level to a higher one).
import type { Database } from '../../src/db/database.js';
import { PREFIX, formatEuid } from '../../src/domain/euid.js';
import { DEFAULT_RELATIONSHIP_TYPE } from '../../src/domain/lineageRules.js';
import { sequenceName } from '../../src/services/mintEuid.js';

export interface SeedTemplate {
  id: number;
  code: string;
  category: string;
  type: string;
  subtype: string;
  prefix: string;
}

export interface SeededObject {
  id: number;
  euid: string;
}

const CHUNK = 2000;

export async function findSeedTemplate(db: Database, code: string): Promise<SeedTemplate> {
  const [category, type, subtype, version] = code.split('/');
  const [t] = await db.query<Omit<SeedTemplate, 'code'>>(
    `SELECT id, category, type, subtype, prefix FROM template WHERE category = $1 AND type = $2 AND subtype = $3 AND version = $4 AND deleted_at IS NULL`,
    [category, type, subtype, version],
  );
  if (!t) throw new Error(`template ${code} is not seeded`);
  return { ...t, code };
}

/** `count` EUIDs for `prefix` from its sequence, exactly as mintEuids formats them. */
async function mint(db: Database, prefix: string, count: number): Promise<string[]> {
  const rows = await db.query<{ n: number | string }>(`SELECT nextval($1::regclass)::int AS n FROM generate_series(1, $2::int)`, [sequenceName(prefix), count]);
  return rows.map((r) => formatEuid(prefix, Number(r.n)));
}

/** Inserts `names.length` live objects of `template`; returned in the order of `names`. */
export async function seedObjects(db: Database, template: SeedTemplate, names: string[], properties: (i: number) => Record<string, unknown>): Promise<SeededObject[]> {
  const out: SeededObject[] = [];
  for (let start = 0; start < names.length; start += CHUNK) {
    const part = names.slice(start, start + CHUNK);
    const euids = await mint(db, template.prefix, part.length);
    const props = part.map((_, i) => JSON.stringify(properties(start + i)));
    const rows = await db.query<SeededObject>(
      `INSERT INTO material_object (euid, category, type, subtype, template_id, status, name, properties, updated_at)
       SELECT u.euid, $4, $5, $6, $7::int, 'active', u.name, u.props::jsonb, now()
       FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(euid, name, props, ord)
       ORDER BY u.ord
       RETURNING id, euid`,
      [euids, part, props, template.category, template.type, template.subtype, template.id],
    );
    const byEuid = new Map(rows.map((r) => [r.euid, r]));
    for (const e of euids) {
      const r = byEuid.get(e);
      if (!r) throw new Error(`seed: ${e} was not inserted`);
      out.push(r);
    }
  }
  return out;
}

/** Inserts parent → child edges (internal ids); returns their EUIDs in order. */
export async function seedEdges(db: Database, edges: [number, number][]): Promise<string[]> {
  const out: string[] = [];
  for (let start = 0; start < edges.length; start += CHUNK) {
    const part = edges.slice(start, start + CHUNK);
    const euids = await mint(db, PREFIX.edge, part.length);
    await db.query(
      `INSERT INTO lineage_edge (euid, parent_id, child_id, relationship_type, properties)
       SELECT u.euid, u.parent_id, u.child_id, $4, '{}'::jsonb
       FROM unnest($1::text[], $2::int[], $3::int[]) AS u(euid, parent_id, child_id)`,
      [euids, part.map((e) => e[0]), part.map((e) => e[1]), DEFAULT_RELATIONSHIP_TYPE],
    );
    out.push(...euids);
  }
  return out;
}

/** Realistic gDNA sample properties (inside content/sample/*'s schema: volume, concentration, mass). */
export const sampleProperties = (i: number): Record<string, unknown> => {
  const volume = 20 + (i % 80);
  const concentration = Math.round((5 + ((i * 37) % 200) / 4) * 100) / 100;
  return { volume_ul: volume, concentration_ng_ul: concentration, mass_ng: Math.round(volume * concentration * 100) / 100 };
};

/** Refreshes the planner's statistics after a bulk load (autovacuum may not have run yet). */
export async function analyze(db: Database): Promise<void> {
  await db.exec('ANALYZE material_object; ANALYZE lineage_edge;');
}
