import type { Database } from '../../db/database.js';
import type { PrismaTypes } from '../../db/prisma.js';

export interface LineageEdgeView {
  euid: string;
  parentEuid: string;
  childEuid: string;
  relationshipType: string;
  createdAt: Date;
}

export interface LineageEdgeFilter {
  parentEuid?: string;
  childEuid?: string;
}

/**
 * Offset-paged edges for the REST door (Bloom's page/page_size), oldest first, with
 * the total. An edge touching a soft-deleted object is hidden, as traversal hides
 * it; an EUID filter that matches no live object matches no edge.
 */
export async function listLineageEdges(db: Database, filter: LineageEdgeFilter, offset: number, limit: number) {
  const where: PrismaTypes.LineageEdgeWhereInput = {
    parent: { deletedAt: null, ...(filter.parentEuid !== undefined ? { euid: filter.parentEuid } : {}) },
    child: { deletedAt: null, ...(filter.childEuid !== undefined ? { euid: filter.childEuid } : {}) },
  };
  const [rows, total] = await Promise.all([
    db.prisma.lineageEdge.findMany({
      where,
      include: { parent: { select: { euid: true } }, child: { select: { euid: true } } },
      orderBy: { id: 'asc' },
      skip: offset,
      take: limit,
    }),
    db.prisma.lineageEdge.count({ where }),
  ]);
  const edges: LineageEdgeView[] = rows.map((e) => ({
    euid: e.euid,
    parentEuid: e.parent.euid,
    childEuid: e.child.euid,
    relationshipType: e.relationshipType,
    createdAt: e.createdAt,
  }));
  return { edges, total };
}
