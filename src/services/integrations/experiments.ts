// bioAF experiments: grouping objects of category `experiment` (BXP EUIDs);
// properties.project_euid names the project (fixed at create).
import type { Database } from '../../db/database.js';
import type { ObjectRow, Tx } from '../../db/prisma.js';
import type { WriteFn } from '../write.js';
import { MODELS, codePrefix, euidOf } from './model.js';
import { dbReader, findById, findByExternalId, missing } from './find.js';
import { containsPattern } from '../../db/likePattern.js';
import { pageOf, resourceWhere, type Page } from './list.js';
import type { ExperimentCreateInput, ExperimentListQueryT, ExperimentUpdateInput } from './schemas.js';
import { createResource, given, updateResource } from './write.js';

/** project_id wins over project_external_id; neither means no project; an unknown one is 404 project_not_found. */
async function projectOf(tx: Tx, b: ExperimentCreateInput): Promise<ObjectRow | null> {
  if (b.project_id !== undefined && b.project_id !== null) return findById(tx, 'project', b.project_id);
  if (b.project_external_id) {
    const row = await findByExternalId(tx, 'project', b.project_external_id);
    if (!row) throw missing('project', b.project_external_id);
    return row;
  }
  return null;
}

const scalars = (b: ExperimentUpdateInput) =>
  given({ hypothesis: b.hypothesis, description: b.description, expected_sample_count: b.expected_sample_count, variables_json: b.variables_json });

export const createExperiment: WriteFn<ExperimentCreateInput, ObjectRow> = async (tx, actor, b) => {
  const project = await projectOf(tx, b);
  return createResource(tx, actor, 'experiment', {
    name: b.name,
    externalId: b.external_id,
    properties: { ...scalars(b), ...(project ? { project_euid: project.euid } : {}) },
    customFields: b.custom_fields,
  });
};

export const updateExperiment: WriteFn<{ id: number; patch: ExperimentUpdateInput }, ObjectRow> = (tx, actor, { id, patch }) =>
  updateResource(tx, actor, 'experiment', id, { name: patch.name, properties: scalars(patch), customFields: patch.custom_fields });

export const getExperiment = (db: Database, id: number) => findById(dbReader(db), 'experiment', id);

export async function getExperimentByExternalId(db: Database, externalId: string): Promise<ObjectRow> {
  const row = await findByExternalId(dbReader(db), 'experiment', externalId);
  if (!row) throw missing('experiment', externalId);
  return row;
}

/** Filters: project_id, status, external_id (exact), q (name or code). */
export function listExperiments(db: Database, q: ExperimentListQueryT): Promise<Page<ObjectRow>> {
  const w = resourceWhere(MODELS.experiment);
  if (q.project_id !== undefined) w.add(`properties->>'project_euid' = ?`, q.project_id >= 1 ? euidOf(q.project_id, MODELS.project.prefix) : '');
  if (q.status) w.add(`status = ?`, q.status);
  if (q.external_id) w.add(`external_id = ?`, q.external_id);
  if (q.q) w.add(`(name ILIKE ? OR (? || lpad(euid_sequence(euid)::text, 4, '0')) ILIKE ?)`, containsPattern(q.q), codePrefix('experiment'), containsPattern(q.q));
  return pageOf(db, MODELS.experiment, w, q);
}
