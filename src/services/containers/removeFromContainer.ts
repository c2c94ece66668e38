import { z } from 'zod';
import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { notFound } from '../../errors/index.js';
import { recordChange } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { findLiveObject } from '../objects/findObject.js';
import { placementRemovedEvent } from './placementEvents.js';

export const RemoveInput = z.object({ containerEuid: z.string().min(1), contentEuid: z.string().min(1) });
export type RemoveInputT = z.input<typeof RemoveInput>;

export async function removeFromContainer(tx: Tx, actor: Actor, raw: RemoveInputT): Promise<{ euid: string }> {
  const input = parseInput(RemoveInput, raw);
  const container = await findLiveObject(tx, input.containerEuid, { lock: true, label: 'Container' });
  const content = await tx.materialObject.findUnique({ where: { euid: input.contentEuid }, select: { id: true } });
  const placement = content
    ? await tx.placement.findFirst({ where: { containerId: container.id, contentId: content.id } })
    : null;
  if (!placement) throw notFound('Placement', `${input.contentEuid} in ${input.containerEuid}`);
  await tx.placement.delete({ where: { id: placement.id } });
  await recordChange(tx, actor, {
    operation: 'removeFromContainer',
    entityType: 'container',
    entityEuid: container.euid,
    changes: { placement: { old: { content: input.contentEuid, position: placement.position }, new: null } },
    events: [placementRemovedEvent(container.euid, input.contentEuid, placement.position)],
  });
  return { euid: input.contentEuid };
}
