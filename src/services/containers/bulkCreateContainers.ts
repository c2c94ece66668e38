import { z } from 'zod';
import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { toAppError } from '../../errors/toAppError.js';
import { parseInput } from '../validate.js';
import { createObject } from '../objects/createObject.js';
import { properties } from '../objects/schemas.js';
import { placeInContainer } from './placeInContainer.js';

export const MAX_BULK_ROWS = 200;

const templateRef = { templateEuid: z.string().min(1).optional(), templateCode: z.string().min(1).optional() };

export const BulkCreateInput = z.object({
  rows: z
    .array(
      z.object({
        /** The row's line number in the caller's file, echoed in the result. */
        row: z.number().int().min(1),
        container: z.object({ ...templateRef, name: z.string().optional() }),
        content: z.object({ ...templateRef, name: z.string().optional(), properties: properties.optional() }).optional(),
        /** Well for the content, when the container has wells. */
        position: z.string().optional(),
      }),
    )
    .max(MAX_BULK_ROWS, `at most ${MAX_BULK_ROWS} rows`),
});
export type BulkCreateInputT = z.input<typeof BulkCreateInput>;

export interface BulkCreateResult {
  created: { row: number; containerEuid: string; contentEuid: string | null }[];
  errors: { row: number; error: string }[];
}

/**
 * One container per row, optionally with one new content placed in it, each row
 * all-or-nothing (a savepoint per row) inside the caller's one transaction: a bad
 * row is reported and leaves nothing behind, the good rows commit together. Every
 * object, placement, audit row and event is exactly what createObject and
 * placeInContainer write one at a time.
 */
export async function bulkCreateContainers(tx: Tx, actor: Actor, raw: BulkCreateInputT): Promise<BulkCreateResult> {
  const input = parseInput(BulkCreateInput, raw);
  const out: BulkCreateResult = { created: [], errors: [] };
  for (const r of input.rows) {
    await tx.$executeRawUnsafe('SAVEPOINT bulk_row');
    try {
      const container = await createObject(tx, actor, r.container);
      let contentEuid: string | null = null;
      if (r.content) {
        const content = await createObject(tx, actor, r.content);
        await placeInContainer(tx, actor, { containerEuid: container.euid, contentEuid: content.euid, position: r.position });
        contentEuid = content.euid;
      }
      await tx.$executeRawUnsafe('RELEASE SAVEPOINT bulk_row');
      out.created.push({ row: r.row, containerEuid: container.euid, contentEuid });
    } catch (err) {
      const e = toAppError(err);
      // Only the caller's mistakes are per-row results; anything else fails the whole request.
      if (e.code === 'INTERNAL_SERVER_ERROR' || e.code === 'SERVICE_UNAVAILABLE') throw err;
      await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT bulk_row');
      out.errors.push({ row: r.row, error: e.message });
    }
  }
  return out;
}
