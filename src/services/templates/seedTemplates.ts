import type { Database } from '../../db/database.js';
import { PREFIX, formatEuid } from '../../domain/euid.js';
import { sequenceName } from '../mintEuid.js';
import { STANDARD_TEMPLATES, templateCode, type TemplateDef } from './standardTemplates.js';

/** Inserts the standard templates that are missing. Safe to run on every start, by several instances at once. */
export async function seedTemplates(db: Database, defs: TemplateDef[] = STANDARD_TEMPLATES): Promise<number> {
  const existing = await db.query<{ code: string }>(
    `SELECT category || '/' || type || '/' || subtype || '/' || version AS code FROM template`,
  );
  const have = new Set(existing.map((r) => r.code));
  let inserted = 0;
  for (const def of defs) {
    if (have.has(templateCode(def))) continue;
    await db.exec(`CREATE SEQUENCE IF NOT EXISTS "${sequenceName(def.prefix)}"`);
    const [{ n }] = await db.query<{ n: string | number }>(`SELECT nextval('${sequenceName(PREFIX.template)}') AS n`);
    const rows = await db.query(
      `INSERT INTO template (euid, category, type, subtype, version, name, description, prefix, schema, defaults, hidden)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11)
       ON CONFLICT (category, type, subtype, version) DO NOTHING RETURNING id`,
      [formatEuid(PREFIX.template, BigInt(n)), def.category, def.type, def.subtype, def.version, def.name,
        def.description, def.prefix, JSON.stringify(def.schema), JSON.stringify(def.defaults), def.hidden ?? false],
    );
    inserted += rows.length;
  }
  return inserted;
}
