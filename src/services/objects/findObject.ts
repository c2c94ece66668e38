import type { Tx, ObjectRow } from '../../db/prisma.js';
import { notFound } from '../../errors/index.js';
import { objectFromSql, type ObjectSqlRow } from './objectFromSql.js';

/**
 * A live (not soft-deleted) object by EUID, or NOT_FOUND. With `lock`, the row is
 * locked FOR UPDATE so read-modify-write changes do not lose concurrent updates.
 */
export async function findLiveObject(tx: Tx, euid: string, opts: { lock?: boolean; label?: string } = {}): Promise<ObjectRow> {
  const label = opts.label ?? 'Object';
  if (opts.lock) {
    // One statement: the row as locked (no second read after taking the lock).
    const [locked] = await tx.$queryRawUnsafe<ObjectSqlRow[]>(
      `SELECT * FROM material_object WHERE euid = $1 AND deleted_at IS NULL FOR UPDATE`,
      euid,
    );
    if (!locked) throw notFound(label, euid);
    return objectFromSql(locked);
  }
  const row = await tx.materialObject.findUnique({ where: { euid } });
  if (!row || row.deletedAt) throw notFound(label, euid);
  return row;
}
