// One set of DataLoaders per request: field resolvers batch their reads, so a list
// of N objects costs a constant number of queries, not N.
import DataLoader from 'dataloader';
import type { Database } from '../../db/database.js';
import type { ObjectRow, TemplateRow, PlacementRow, EdgeRow, ReferenceRow } from '../../db/prisma.js';

function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (v: V) => K): (V | null)[] {
  const map = new Map<K, V>();
  for (const r of rows) map.set(keyOf(r), r);
  return keys.map((k) => map.get(k) ?? null);
}

function groupBy<K, V>(keys: readonly K[], rows: V[], keyOf: (v: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

export function createLoaders(db: Database) {
  const p = db.prisma;
  // Rows this request has already read in bulk (a lineage traversal): the object loaders
  // answer them from here and query only the rest. Cheaper than priming (no promise per
  // row, none at all when nothing asks), with the same answers and the same SQL.
  const knownById = new Map<number, ObjectRow>();
  const knownByEuid = new Map<string, ObjectRow>();
  const objectById: DataLoader<number, ObjectRow | null> = new DataLoader(async (ids) => {
    const missing = ids.filter((id) => !knownById.has(id));
    const rows = missing.length ? await p.materialObject.findMany({ where: { id: { in: missing } } }) : [];
    const found = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => knownById.get(id) ?? found.get(id) ?? null);
  });
  const objectByEuid = new DataLoader<string, ObjectRow | null>(async (euids) => {
    const missing = euids.filter((e) => !knownByEuid.has(e));
    const rows = missing.length ? await p.materialObject.findMany({ where: { euid: { in: missing } } }) : [];
    for (const r of rows) objectById.prime(r.id, r);
    const found = new Map(rows.map((r) => [r.euid, r]));
    return euids.map((e) => knownByEuid.get(e) ?? found.get(e) ?? null);
  });
  return {
    objectById,
    objectByEuid,
    /** Records a row read elsewhere in this request (see above). */
    knownObjects(row: ObjectRow): void {
      if (!knownById.has(row.id)) knownById.set(row.id, row);
      if (!knownByEuid.has(row.euid)) knownByEuid.set(row.euid, row);
    },
    templateById: new DataLoader<number, TemplateRow | null>(async (ids) =>
      byKey(ids, await p.template.findMany({ where: { id: { in: [...ids] } } }), (r) => r.id),
    ),
    placementByContent: new DataLoader<number, PlacementRow | null>(async (ids) =>
      byKey(ids, await p.placement.findMany({ where: { contentId: { in: [...ids] } } }), (r) => r.contentId),
    ),
    placementsByContainer: new DataLoader<number, PlacementRow[]>(async (ids) =>
      groupBy(ids, await p.placement.findMany({ where: { containerId: { in: [...ids] } }, orderBy: { id: 'asc' } }), (r) => r.containerId),
    ),
    edgesByChild: new DataLoader<number, EdgeRow[]>(async (ids) =>
      groupBy(ids, await p.lineageEdge.findMany({ where: { childId: { in: [...ids] } }, orderBy: { id: 'asc' } }), (r) => r.childId),
    ),
    edgesByParent: new DataLoader<number, EdgeRow[]>(async (ids) =>
      groupBy(ids, await p.lineageEdge.findMany({ where: { parentId: { in: [...ids] } }, orderBy: { id: 'asc' } }), (r) => r.parentId),
    ),
    referencesByObject: new DataLoader<number, ReferenceRow[]>(async (ids) =>
      groupBy(ids, await p.externalReference.findMany({ where: { objectId: { in: [...ids] } }, orderBy: { id: 'asc' } }), (r) => r.objectId),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
