import { z } from 'zod';
import type { Tx, EdgeRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { AppError, conflict } from '../../errors/index.js';
import { PREFIX } from '../../domain/euid.js';
import { DEFAULT_RELATIONSHIP_TYPE, RELATIONSHIP_TYPE_RE } from '../../domain/lineageRules.js';
import { properties } from '../objects/schemas.js';
import { mintEuid } from '../mintEuid.js';
import { recordChange } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { findLiveObject } from '../objects/findObject.js';
import { lineageEvent } from './lineageEvents.js';

export const LinkInput = z.object({
  parentEuid: z.string().min(1),
  childEuid: z.string().min(1),
  relationshipType: z.string().regex(RELATIONSHIP_TYPE_RE, 'lowercase identifier').default(DEFAULT_RELATIONSHIP_TYPE),
  properties: properties.optional(),
});
export type LinkInputT = z.input<typeof LinkInput>;

export type EdgeResult = EdgeRow & { parentEuid: string; childEuid: string };

// All links serialize on one transaction-scoped lock, so two concurrent links
// (A→B, B→A) cannot both pass the cycle check.
const LINEAGE_LOCK = `SELECT pg_advisory_xact_lock(7245001)`;

/** True when `ancestor` is reachable downwards from `from` (or is it). Any relationship type, deleted or not. */
async function reaches(tx: Tx, fromId: number, targetId: number): Promise<boolean> {
  const rows = await tx.$queryRawUnsafe<unknown[]>(
    `WITH RECURSIVE d(id) AS (
       SELECT $1::int
       UNION
       SELECT e.child_id FROM lineage_edge e JOIN d ON e.parent_id = d.id
     )
     SELECT 1 FROM d WHERE id = $2::int LIMIT 1`,
    fromId,
    targetId,
  );
  return rows.length > 0;
}

export async function linkLineage(tx: Tx, actor: Actor, raw: LinkInputT): Promise<EdgeResult> {
  const input = parseInput(LinkInput, raw);
  if (input.parentEuid === input.childEuid) {
    throw new AppError('CYCLE_DETECTED', `An object cannot be its own parent: ${input.parentEuid}`, 'lineage_self_link');
  }
  const parent = await findLiveObject(tx, input.parentEuid, { label: 'Parent' });
  const child = await findLiveObject(tx, input.childEuid, { label: 'Child' });

  await tx.$executeRawUnsafe(LINEAGE_LOCK);
  const dup = await tx.lineageEdge.findUnique({
    where: { parentId_childId_relationshipType: { parentId: parent.id, childId: child.id, relationshipType: input.relationshipType } },
  });
  if (dup) throw conflict(`${parent.euid} → ${child.euid} (${input.relationshipType}) already exists as ${dup.euid}`, 'lineage_already_exists');
  if (await reaches(tx, child.id, parent.id)) {
    throw new AppError('CYCLE_DETECTED', `Linking ${parent.euid} → ${child.euid} would create a cycle: ${parent.euid} descends from ${child.euid}`, 'lineage_cycle');
  }

  const edge = await tx.lineageEdge.create({
    data: {
      euid: await mintEuid(tx, PREFIX.edge),
      parentId: parent.id,
      childId: child.id,
      relationshipType: input.relationshipType,
      properties: (input.properties ?? {}) as object,
    },
  });
  const result = { ...edge, parentEuid: parent.euid, childEuid: child.euid };
  await recordChange(tx, actor, {
    operation: 'linkLineage',
    entityType: 'lineage',
    entityEuid: edge.euid,
    changes: { edge: { old: null, new: { parent: parent.euid, child: child.euid, relationshipType: edge.relationshipType } } },
    events: [lineageEvent('lineage.created', result)],
  });
  return result;
}
