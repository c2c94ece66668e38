// How bioAF-style integration resources sit on the material graph:
// projects (BPJ) and experiments (BXP) are grouping objects of their own
// categories, samples are content objects of one template whose external_scope
// is their experiment's EUID (external_id unique per experiment), files are any
// file objects. The integer `id` of a resource is its EUID's sequence number.
import type { ObjectRow } from '../../db/prisma.js';
import { PREFIX, euidSequence, formatEuid } from '../../domain/euid.js';

export type ResourceKind = 'project' | 'experiment' | 'sample' | 'file';

export interface ResourceModel {
  kind: ResourceKind;
  prefix: string;
  /** What a row must be to count as this resource. */
  category: string;
  type?: string;
  subtype?: string;
  /** The template integration creates use (none for read-only files). */
  templateCode?: string;
  /** The EUID prefix its external_scope must carry (a sample belongs to an experiment). */
  scopePrefix?: string;
}

export const MODELS: Record<ResourceKind, ResourceModel> = {
  project: { kind: 'project', prefix: PREFIX.project, category: 'project', templateCode: 'project/generic/generic/1.0' },
  experiment: { kind: 'experiment', prefix: PREFIX.experiment, category: 'experiment', templateCode: 'experiment/generic/generic/1.0' },
  sample: { kind: 'sample', prefix: PREFIX.content, category: 'content', type: 'sample', subtype: 'integration', templateCode: 'content/sample/integration/1.0', scopePrefix: PREFIX.experiment },
  file: { kind: 'file', prefix: PREFIX.file, category: 'file' },
};

/** The organisation part of bioAF codes: one tenant, one fixed value (`labgp-0001`, `labge-0001`). */
export const ORG_CODE = 'labg';
export const codePrefix = (kind: 'project' | 'experiment') => `${ORG_CODE}${kind === 'project' ? 'p' : 'e'}-`;

/** Status every create forces (bioAF §3.3). */
export const CREATE_STATUS: Record<'project' | 'experiment' | 'sample', string> = { project: 'active', experiment: 'registered', sample: 'registered' };

export function isResource(row: ObjectRow, m: ResourceModel): boolean {
  return row.category === m.category && (!m.type || row.type === m.type) && (!m.subtype || row.subtype === m.subtype)
    && row.euid.startsWith(`${m.prefix}-`) && (!m.scopePrefix || row.externalScope.startsWith(`${m.scopePrefix}-`));
}

/** The integer id of an EUID of this prefix, or null (a number when it is a safe integer). */
export function idOf(euid: string | null | undefined, prefix: string): number | null {
  if (!euid) return null;
  const n = euidSequence(euid, prefix);
  return n === null || n > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(n);
}

export const euidOf = (id: number | bigint, prefix: string) => formatEuid(prefix, id);

/** `labgp-0001`: derived from the id, so every door's projects have one and it never changes. */
export const codeOf = (kind: 'project' | 'experiment', id: number) => `${codePrefix(kind)}${String(id).padStart(4, '0')}`;

/** What a row stores beyond its columns, as the integration routes read it. */
export const prop = (row: ObjectRow, key: string): unknown => ((row.properties ?? {}) as Record<string, unknown>)[key];
export const text = (row: ObjectRow, key: string): string | null => {
  const v = prop(row, key);
  return typeof v === 'string' ? v : null;
};
export const int = (row: ObjectRow, key: string): number | null => {
  const v = prop(row, key);
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
};

/** The experiment a sample belongs to (its external_scope), the project an experiment names. */
export const sampleExperimentId = (row: ObjectRow) => idOf(row.externalScope, PREFIX.experiment);
export const experimentProjectId = (row: ObjectRow) => idOf(text(row, 'project_euid'), PREFIX.project);
