import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { notFound } from '../../errors/index.js';
import { recordChange } from '../recordChange.js';
import { lineageEvent } from './lineageEvents.js';

export async function unlinkLineage(tx: Tx, actor: Actor, input: { euid: string }): Promise<{ euid: string }> {
  const edge = await tx.lineageEdge.findUnique({
    where: { euid: input.euid },
    include: { parent: { select: { euid: true } }, child: { select: { euid: true } } },
  });
  if (!edge) throw notFound('Lineage', input.euid);
  await tx.lineageEdge.delete({ where: { id: edge.id } });
  const view = { euid: edge.euid, parentEuid: edge.parent.euid, childEuid: edge.child.euid, relationshipType: edge.relationshipType };
  await recordChange(tx, actor, {
    operation: 'unlinkLineage',
    entityType: 'lineage',
    entityEuid: edge.euid,
    changes: { edge: { old: { parent: view.parentEuid, child: view.childEuid, relationshipType: view.relationshipType }, new: null } },
    events: [lineageEvent('lineage.deleted', view)],
  });
  return { euid: edge.euid };
}
