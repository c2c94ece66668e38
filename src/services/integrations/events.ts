// The bridge from object changes to bioAF's public event names (bioAF §6.2):
// whichever door changed a project, experiment, integration sample or file
// (REST, GraphQL), the same transaction also records the bioAF-named event with
// its thin data (ids; receivers GET the full record).
import { diffFields } from '../recordChange.js';
import type { ObjectRow } from '../../db/prisma.js';
import type { ChangeEvent } from '../recordChange.js';
import type { EventType } from '../../events/catalog.js';
import { MODELS, experimentProjectId, idOf, isResource, prop, sampleExperimentId, text, type ResourceKind } from './model.js';
import { SAMPLE_TEXT_FIELDS } from './schemas.js';

/** The scalar fields of each resource as bioAF names them, read from a row (custom fields are not scalars). */
const FIELDS: Record<Exclude<ResourceKind, 'file'>, Record<string, (r: ObjectRow) => unknown>> = {
  project: { name: (r) => r.name, description: (r) => prop(r, 'description'), hypothesis: (r) => prop(r, 'hypothesis'), status: (r) => r.status },
  experiment: {
    name: (r) => r.name,
    hypothesis: (r) => prop(r, 'hypothesis'),
    description: (r) => prop(r, 'description'),
    expected_sample_count: (r) => prop(r, 'expected_sample_count'),
    variables_json: (r) => prop(r, 'variables_json'),
    status: (r) => r.status,
  },
  sample: {
    ...Object.fromEntries(SAMPLE_TEXT_FIELDS.map((f) => [f, (r: ObjectRow) => prop(r, f)])),
    cell_count: (r) => prop(r, 'cell_count'),
    assay: (r) => prop(r, 'assay'),
    qc_status: (r) => prop(r, 'qc_status'),
    status: (r) => r.status,
  },
};

/** The row as bioAF fields (external_id first: another door may change it). */
const view = (kind: Exclude<ResourceKind, 'file'>, r: ObjectRow): Record<string, unknown> =>
  ({ external_id: r.externalId, ...Object.fromEntries(Object.entries(FIELDS[kind]).map(([name, read]) => [name, read(r)])) });

/** bioAF field names whose values differ. */
function changedFields(kind: Exclude<ResourceKind, 'file'>, before: ObjectRow | undefined, after: ObjectRow): string[] {
  return before ? Object.keys(diffFields(view(kind, before), view(kind, after))) : [];
}

function kindOf(row: ObjectRow): ResourceKind | null {
  for (const m of Object.values(MODELS)) if (isResource(row, m)) return m.kind;
  return null;
}

export function integrationEvents(row: ObjectRow, action: 'created' | 'updated' | 'deleted', before?: ObjectRow): ChangeEvent[] {
  const kind = kindOf(row);
  if (!kind || action === 'deleted') return [];
  const ev = (type: EventType, data: Record<string, unknown>): ChangeEvent => ({ type, euid: row.euid, externalId: row.externalId, data });
  const id = idOf(row.euid, MODELS[kind].prefix);
  switch (kind) {
    case 'project':
      return [action === 'created'
        ? ev('project.created', { project_id: id, external_id: row.externalId })
        : ev('project.updated', { project_id: id, external_id: row.externalId, changed_fields: changedFields(kind, before, row) })];
    case 'experiment': {
      if (action === 'created') return [ev('experiment.created', { experiment_id: id, external_id: row.externalId, project_id: experimentProjectId(row) })];
      const changed = changedFields(kind, before, row);
      const out = [ev('experiment.updated', { experiment_id: id, external_id: row.externalId, changed_fields: changed })];
      if (before && changed.includes('status')) {
        out.push(ev('experiment.status_changed', { experiment_id: id, external_id: row.externalId, previous_status: before.status, status: row.status }));
      }
      return out;
    }
    case 'sample': {
      const experimentId = sampleExperimentId(row);
      if (action === 'created') return [ev('sample.created', { sample_id: id, external_id: row.externalId, experiment_id: experimentId })];
      const changed = changedFields(kind, before, row);
      const out = [ev('sample.updated', { sample_id: id, external_id: row.externalId, changed_fields: changed })];
      if (changed.includes('qc_status')) {
        out.push(ev('sample.qc_changed', { sample_id: id, external_id: row.externalId, experiment_id: experimentId, qc_status: text(row, 'qc_status') }));
      }
      return out;
    }
    case 'file':
      if (action === 'created') return [ev('file.registered', { file_id: id, filename: text(row, 'filename') ?? row.name })];
      return before && before.status !== row.status && row.status === 'ready' ? [ev('file.ready', { file_id: id, filename: text(row, 'filename') ?? row.name })] : [];
  }
}
