// bioAF projects: grouping objects of category `project` (BPJ EUIDs).
import type { Database } from '../../db/database.js';
import type { ObjectRow } from '../../db/prisma.js';
import type { WriteFn } from '../write.js';
import { MODELS, codePrefix } from './model.js';
import { dbReader, findById, findByExternalId, missing } from './find.js';
import { containsPattern } from '../../db/likePattern.js';
import { pageOf, resourceWhere, type Page } from './list.js';
import type { ProjectCreateInput, ProjectListQueryT, ProjectUpdateInput } from './schemas.js';
import { createResource, given, updateResource } from './write.js';

export const createProject: WriteFn<ProjectCreateInput, ObjectRow> = (tx, actor, b) =>
  createResource(tx, actor, 'project', {
    name: b.name,
    externalId: b.external_id,
    properties: given({ description: b.description, hypothesis: b.hypothesis }),
    customFields: b.custom_fields,
  });

export const updateProject: WriteFn<{ id: number; patch: ProjectUpdateInput }, ObjectRow> = (tx, actor, { id, patch }) =>
  updateResource(tx, actor, 'project', id, {
    name: patch.name,
    properties: given({ description: patch.description, hypothesis: patch.hypothesis }),
    customFields: patch.custom_fields,
  });

export const getProject = (db: Database, id: number) => findById(dbReader(db), 'project', id);

export async function getProjectByExternalId(db: Database, externalId: string): Promise<ObjectRow> {
  const row = await findByExternalId(dbReader(db), 'project', externalId);
  if (!row) throw missing('project', externalId);
  return row;
}

/** Filters: status, external_id (exact), q (case-insensitive substring of name or code). */
export function listProjects(db: Database, q: ProjectListQueryT): Promise<Page<ObjectRow>> {
  const w = resourceWhere(MODELS.project);
  if (q.status) w.add(`status = ?`, q.status);
  if (q.external_id) w.add(`external_id = ?`, q.external_id);
  if (q.q) w.add(`(name ILIKE ? OR (? || lpad(euid_sequence(euid)::text, 4, '0')) ILIKE ?)`, containsPattern(q.q), codePrefix('project'), containsPattern(q.q));
  return pageOf(db, MODELS.project, w, q);
}
