// bioAF samples: content objects of the integration sample template whose
// external_scope is their experiment's EUID (external_id unique per experiment).
import type { Database } from '../../db/database.js';
import type { ObjectRow } from '../../db/prisma.js';
import type { WriteFn } from '../write.js';
import { MODELS, euidOf } from './model.js';
import { dbReader, findById, findByExternalId, missing } from './find.js';
import { containsPattern } from '../../db/likePattern.js';
import { pageOf, resourceWhere, type Page } from './list.js';
import { SAMPLE_TEXT_FIELDS, type SampleCreateInput, type SampleListQueryT, type SampleUpdateInput } from './schemas.js';
import { createResource, given, updateResource } from './write.js';

const scalars = (b: SampleUpdateInput) =>
  given({ ...Object.fromEntries(SAMPLE_TEXT_FIELDS.map((f) => [f, b[f]])), cell_count: b.cell_count, assay: b.assay });

export const createSample: WriteFn<SampleCreateInput, ObjectRow> = async (tx, actor, b) => {
  const experiment = await findById(tx, 'experiment', b.experiment_id);
  return createResource(tx, actor, 'sample', {
    name: b.external_id,
    externalId: b.external_id,
    scope: experiment.euid,
    properties: scalars(b),
    customFields: b.custom_fields,
  });
};

export const updateSample: WriteFn<{ id: number; patch: SampleUpdateInput }, ObjectRow> = (tx, actor, { id, patch }) =>
  updateResource(tx, actor, 'sample', id, { properties: scalars(patch), customFields: patch.custom_fields });

export const getSample = (db: Database, id: number) => findById(dbReader(db), 'sample', id);

/** Within one experiment (external ids repeat across experiments). */
export async function getSampleByExternalId(db: Database, experimentId: number, externalId: string): Promise<ObjectRow> {
  const row = experimentId >= 1 ? await findByExternalId(dbReader(db), 'sample', externalId, euidOf(experimentId, MODELS.experiment.prefix)) : null;
  if (!row) throw missing('sample', externalId);
  return row;
}

/** Filters: experiment_id, external_id (exact), q (external_id or organism). */
export function listSamples(db: Database, q: SampleListQueryT): Promise<Page<ObjectRow>> {
  const w = resourceWhere(MODELS.sample);
  if (q.experiment_id !== undefined) w.add(`external_scope = ?`, q.experiment_id >= 1 ? euidOf(q.experiment_id, MODELS.experiment.prefix) : '');
  if (q.external_id) w.add(`external_id = ?`, q.external_id);
  if (q.q) w.add(`(external_id ILIKE ? OR properties->>'organism' ILIKE ?)`, containsPattern(q.q), containsPattern(q.q));
  return pageOf(db, MODELS.sample, w, q);
}
