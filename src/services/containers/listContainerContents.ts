import type { Database } from '../../db/database.js';
import type { ObjectRow } from '../../db/prisma.js';

export interface ContainerContent {
  /** The well (A1…P24), or null in a container without wells. */
  position: string | null;
  content: ObjectRow;
  placedAt: Date;
}

/** What a container holds, in placement order; soft-deleted content is never listed. */
export async function listContainerContents(db: Database, containerId: number): Promise<ContainerContent[]> {
  const rows = await db.prisma.placement.findMany({
    where: { containerId, content: { deletedAt: null } },
    include: { content: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((p) => ({ position: p.position, content: p.content, placedAt: p.createdAt }));
}
