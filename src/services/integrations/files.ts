// bioAF files (read-only metadata): file objects. properties carry filename,
// size_bytes, checksums, file_type, source_type, tags and the project_euid /
// experiment_euid they belong to; their samples are the integration samples
// that are lineage parents of the file (the sample↔file join of the graph).
import type { Database } from '../../db/database.js';
import type { ObjectRow } from '../../db/prisma.js';
import { MODELS, euidOf, idOf } from './model.js';
import { dbReader, findById } from './find.js';
import { pageOf, resourceWhere, type Page } from './list.js';
import type { FileListQueryT } from './schemas.js';

export interface FileRecord {
  row: ObjectRow;
  sampleIds: number[];
}

const SAMPLE_PARENT = `SELECT l.child_id, s.euid FROM lineage_edge l JOIN material_object s ON s.id = l.parent_id
  WHERE s.category = 'content' AND s.type = 'sample' AND s.subtype = 'integration' AND s.deleted_at IS NULL AND s.external_scope LIKE 'BXP-%'`;

async function withSamples(db: Database, rows: ObjectRow[]): Promise<FileRecord[]> {
  if (!rows.length) return [];
  const links = await db.query<{ child_id: number; euid: string }>(`${SAMPLE_PARENT} AND l.child_id = ANY($1::int[])`, [rows.map((r) => r.id)]);
  return rows.map((row) => ({
    row,
    sampleIds: links.filter((l) => Number(l.child_id) === row.id).map((l) => idOf(l.euid, MODELS.sample.prefix)).filter((n): n is number => n !== null).sort((a, b) => a - b),
  }));
}

export async function getFile(db: Database, id: number): Promise<FileRecord> {
  return (await withSamples(db, [await findById(dbReader(db), 'file', id)]))[0];
}

const byEuid = (id: number, prefix: string) => (id >= 1 ? euidOf(id, prefix) : '');

/** Filters: project_id, experiment_id, sample_id (a lineage parent), source_type. */
export async function listFiles(db: Database, q: FileListQueryT): Promise<Page<FileRecord>> {
  const w = resourceWhere(MODELS.file);
  if (q.project_id !== undefined) w.add(`properties->>'project_euid' = ?`, byEuid(q.project_id, MODELS.project.prefix));
  if (q.experiment_id !== undefined) w.add(`properties->>'experiment_euid' = ?`, byEuid(q.experiment_id, MODELS.experiment.prefix));
  if (q.sample_id !== undefined) {
    w.add(`id IN (SELECT child_id FROM (${SAMPLE_PARENT}) sp WHERE sp.euid = ?)`, byEuid(q.sample_id, MODELS.sample.prefix));
  }
  if (q.source_type) w.add(`properties->>'source_type' = ?`, q.source_type);
  const page = await pageOf(db, MODELS.file, w, q);
  return { items: await withSamples(db, page.items), nextCursor: page.nextCursor };
}
