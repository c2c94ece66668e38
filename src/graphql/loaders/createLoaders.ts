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
  const objectById: DataLoader<number, ObjectRow | null> = new DataLoader(async (ids) =>
    byKey(ids, await p.materialObject.findMany({ where: { id: { in: [...ids] } } }), (r) => r.id),
  );
  const objectByEuid = new DataLoader<string, ObjectRow | null>(async (euids) => {
    const rows = await p.materialObject.findMany({ where: { euid: { in: [...euids] } } });
    for (const r of rows) objectById.prime(r.id, r);
    return byKey(euids, rows, (r) => r.euid);
  });
  return {
    objectById,
    objectByEuid,
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
