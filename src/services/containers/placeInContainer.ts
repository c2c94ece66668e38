import { z } from 'zod';
import type { Tx, PlacementRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { AppError, badInput } from '../../errors/index.js';
import { fitsLayout, parsePosition } from '../../domain/wells.js';
import { recordChange } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { findLiveObject } from '../objects/findObject.js';
import { placementPlacedEvent } from './placementEvents.js';

export const PlaceInput = z.object({
  containerEuid: z.string().min(1),
  contentEuid: z.string().min(1),
  position: z.string().trim().max(8).optional().nullable(),
});
export type PlaceInputT = z.input<typeof PlaceInput>;

export type PlacementResult = PlacementRow & { containerEuid: string; contentEuid: string };

/**
 * Puts content into a container. Containers with a layout need a well inside it
 * (A1…P24), one content per well; containers without a layout (tubes) take no
 * position. A content sits in one place at a time: move it by removing it first.
 */
export async function placeInContainer(tx: Tx, actor: Actor, raw: PlaceInputT): Promise<PlacementResult> {
  const input = parseInput(PlaceInput, raw);
  const container = await findLiveObject(tx, input.containerEuid, { lock: true, label: 'Container' });
  if (container.category !== 'container') {
    throw badInput(`containerEuid: ${container.euid} is not a container`, [{ path: ['containerEuid'], message: 'not a container' }]);
  }
  const content = await findLiveObject(tx, input.contentEuid, { label: 'Content' });
  if (content.category !== 'content') {
    throw badInput(`contentEuid: ${content.euid} is not content`, [{ path: ['contentEuid'], message: 'not content' }]);
  }

  let position: string | null = null;
  if (container.layoutRows && container.layoutColumns) {
    if (!input.position) throw badInput('position: required for a container with wells', [{ path: ['position'], message: 'Field required' }]);
    const well = parsePosition(input.position);
    const layout = { rows: container.layoutRows, columns: container.layoutColumns };
    if (!well || !fitsLayout(well, layout)) {
      throw badInput(`position: ${input.position} is not a well of a ${layout.rows}×${layout.columns} layout`, [{ path: ['position'], message: 'outside layout' }]);
    }
    position = well.position;
  } else if (input.position) {
    throw badInput(`position: ${container.euid} has no wells`, [{ path: ['position'], message: 'container has no wells' }]);
  }

  const existing = await tx.placement.findUnique({ where: { contentId: content.id }, include: { container: { select: { euid: true } } } });
  if (existing) {
    throw new AppError('CONFLICT', `${content.euid} is already placed in ${existing.container.euid}${existing.position ? ` at ${existing.position}` : ''}`, 'content_already_placed');
  }
  if (position) {
    const taken = await tx.placement.findUnique({ where: { containerId_position: { containerId: container.id, position } }, include: { content: { select: { euid: true } } } });
    if (taken) throw new AppError('CONFLICT', `${container.euid} ${position} is occupied by ${taken.content.euid}`, 'position_occupied');
  }

  const placement = await tx.placement.create({ data: { containerId: container.id, contentId: content.id, position } });
  await recordChange(tx, actor, {
    operation: 'placeInContainer',
    entityType: 'container',
    entityEuid: container.euid,
    changes: { placement: { old: null, new: { content: content.euid, position } } },
    events: [placementPlacedEvent(container.euid, content.euid, position)],
  });
  return { ...placement, containerEuid: container.euid, contentEuid: content.euid };
}
