// One live resource by its integer id or external id; a row of another kind
// looks exactly like a missing one (404 <kind>_not_found).
import type { Database } from '../../db/database.js';
import type { ObjectRow, Tx } from '../../db/prisma.js';
import { notFound } from '../../errors/index.js';
import { MODELS, euidOf, isResource, type ResourceKind } from './model.js';

type Reader = Pick<Tx, 'materialObject'>;

const LABEL: Record<ResourceKind, string> = { project: 'Project', experiment: 'Experiment', sample: 'Sample', file: 'File' };
export const missing = (kind: ResourceKind, ref: string | number) => notFound(LABEL[kind], String(ref));

const usable = (row: ObjectRow | null, kind: ResourceKind): row is ObjectRow => row !== null && !row.deletedAt && isResource(row, MODELS[kind]);

export async function findById(db: Reader, kind: ResourceKind, id: number): Promise<ObjectRow> {
  const row = id >= 1 && Number.isSafeInteger(id) ? await db.materialObject.findUnique({ where: { euid: euidOf(id, MODELS[kind].prefix) } }) : null;
  if (!usable(row, kind)) throw missing(kind, id);
  return row;
}

/** Projects and experiments: unique per gateway (scope ''); samples: per experiment (scope = its EUID). */
export async function findByExternalId(db: Reader, kind: ResourceKind, externalId: string, scope = ''): Promise<ObjectRow | null> {
  const m = MODELS[kind];
  const row = await db.materialObject.findFirst({
    where: { category: m.category, type: m.type, subtype: m.subtype, externalId, externalScope: scope, deletedAt: null, euid: { startsWith: `${m.prefix}-` } },
  });
  return usable(row, kind) ? row : null;
}

export const dbReader = (db: Database): Reader => db.prisma;
