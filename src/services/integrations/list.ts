// Cursor pages over one resource (bioAF §3.5): id DESC, `next_cursor` the last
// returned id when more rows exist (limit+1 fetched), `id < cursor` for the next.
// The id is euid_sequence(euid) (migration 20261201210104_integrations), indexed per category.
import type { Database } from '../../db/database.js';
import type { ObjectRow } from '../../db/prisma.js';
import { AppError } from '../../errors/index.js';
import { objectFromSql, type ObjectSqlRow } from '../objects/objectFromSql.js';
import { idOf, type ResourceModel } from './model.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const MAX_BIGINT = 2n ** 63n - 1n;
const MIN_BIGINT = -(2n ** 63n);

/** An integer cursor, null when absent or empty; 400 invalid_cursor otherwise. */
export function parseCursor(raw: string | undefined): bigint | null {
  if (raw === undefined || raw === '') return null;
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new AppError('BAD_REQUEST', `Invalid cursor: ${raw}`, 'invalid_cursor', { status: 400 });
  const n = BigInt(raw.trim());
  return n > MAX_BIGINT ? MAX_BIGINT : n < MIN_BIGINT ? MIN_BIGINT : n;
}

/** Collects SQL conditions with their $n parameters. */
export class Where {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];
  /** `cond` uses `?` for the value's placeholder. */
  add(cond: string, ...values: unknown[]): this {
    let i = 0;
    this.parts.push(cond.replace(/\?/g, () => `$${this.params.length + ++i}`));
    this.params.push(...values);
    return this;
  }
}


export function resourceWhere(m: ResourceModel): Where {
  const w = new Where().add(`category = ?`, m.category).add(`deleted_at IS NULL`).add(`euid LIKE ?`, `${m.prefix}-%`);
  if (m.type) w.add(`type = ?`, m.type);
  if (m.subtype) w.add(`subtype = ?`, m.subtype);
  if (m.scopePrefix) w.add(`external_scope LIKE ?`, `${m.scopePrefix}-%`);
  return w;
}

export async function pageOf(db: Database, m: ResourceModel, w: Where, args: { limit: number; cursor?: string }): Promise<Page<ObjectRow>> {
  const cursor = parseCursor(args.cursor);
  if (cursor !== null) w.add(`euid_sequence(euid) < ?::bigint`, cursor.toString());
  const rows = await db.query<ObjectSqlRow>(
    `SELECT * FROM material_object WHERE ${w.parts.join(' AND ')} ORDER BY euid_sequence(euid) DESC LIMIT ${args.limit + 1}`,
    w.params,
  );
  const items = rows.slice(0, args.limit).map(objectFromSql);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > args.limit && last ? String(idOf(last.euid, m.prefix)) : null };
}
