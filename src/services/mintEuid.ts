import type { Tx } from '../db/prisma.js';
import { formatEuid, isValidPrefix } from '../domain/euid.js';

export const sequenceName = (prefix: string) => `euid_seq_${prefix.toLowerCase()}`;

/** Mints `count` EUIDs for `prefix` from its sequence (gaps on rollback are fine; reuse is not). */
export async function mintEuids(tx: Tx, prefix: string, count = 1): Promise<string[]> {
  if (!isValidPrefix(prefix)) throw new RangeError(`Invalid EUID prefix: ${prefix}`);
  const rows = await tx.$queryRawUnsafe<{ n: bigint | number | string }[]>(
    `SELECT nextval($1::regclass) AS n FROM generate_series(1, $2::int)`,
    sequenceName(prefix),
    count,
  );
  return rows.map((r) => formatEuid(prefix, BigInt(r.n)));
}

export async function mintEuid(tx: Tx, prefix: string): Promise<string> {
  return (await mintEuids(tx, prefix, 1))[0];
}
