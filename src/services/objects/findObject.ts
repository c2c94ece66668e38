import type { Tx, ObjectRow } from '../../db/prisma.js';
import { notFound } from '../../errors/index.js';

/**
 * A live (not soft-deleted) object by EUID, or NOT_FOUND. With `lock`, the row is
 * locked FOR UPDATE so read-modify-write changes do not lose concurrent updates.
 */
export async function findLiveObject(tx: Tx, euid: string, opts: { lock?: boolean; label?: string } = {}): Promise<ObjectRow> {
  const label = opts.label ?? 'Object';
  if (opts.lock) {
    const locked = await tx.$queryRawUnsafe<{ id: number }[]>(
      `SELECT id FROM material_object WHERE euid = $1 AND deleted_at IS NULL FOR UPDATE`,
      euid,
    );
    if (!locked.length) throw notFound(label, euid);
  }
  const row = await tx.materialObject.findUnique({ where: { euid } });
  if (!row || row.deletedAt) throw notFound(label, euid);
  return row;
}
