import type { Tx, ObjectRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { recordChange, type ChangeEvent } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { can, forbidden } from '../../auth/authorize.js';
import { DeleteObject, type DeleteObjectInput } from './schemas.js';
import { findLiveObject } from './findObject.js';
import { objectEvents } from './objectEvents.js';
import { placementRemovedEvent } from '../containers/placementEvents.js';

export interface DeleteResult {
  euid: string;
  hard: boolean;
}

/**
 * Soft delete hides the object and frees its external_id and its wells; lineage
 * edges stay for history but traversal no longer passes through it. Hard delete
 * removes the row and everything that hangs off it.
 */
export async function deleteObject(tx: Tx, actor: Actor, raw: DeleteObjectInput): Promise<DeleteResult> {
  const input = parseInput(DeleteObject, raw);
  if (input.hard && !can(actor, 'objects:admin')) throw forbidden('Admin privileges required for hard delete', 'role_missing');
  const row: ObjectRow = await findLiveObject(tx, input.euid, { lock: true });

  const placements = await tx.placement.findMany({
    where: { OR: [{ containerId: row.id }, { contentId: row.id }] },
    include: { container: { select: { euid: true } }, content: { select: { euid: true } } },
  });
  const events: ChangeEvent[] = placements.map((p) =>
    placementRemovedEvent(p.container.euid, p.content.euid, p.position),
  );

  if (input.hard) {
    await tx.materialObject.delete({ where: { id: row.id } });
  } else {
    await tx.placement.deleteMany({ where: { OR: [{ containerId: row.id }, { contentId: row.id }] } });
    await tx.materialObject.update({ where: { id: row.id }, data: { deletedAt: new Date() } });
  }
  events.push(...objectEvents(row, 'deleted', { hard: input.hard }));

  await recordChange(tx, actor, {
    operation: input.hard ? 'hardDeleteObject' : 'deleteObject',
    entityType: row.category,
    entityEuid: row.euid,
    changes: { deleted: { old: false, new: true }, ...(input.hard ? { hard: { old: null, new: true } } : {}) },
    events,
  });
  return { euid: row.euid, hard: input.hard };
}
