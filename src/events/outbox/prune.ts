import type { Database } from '../../db/database.js';

/** Drops published events older than the retention window (the resume horizon), in bounded batches. */
export async function pruneOutbox(db: Database, retentionHours: number, batch = 5000): Promise<number> {
  let total = 0;
  for (let i = 0; i < 100; i++) {
    const [r] = await db.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM outbox_event WHERE id IN (
           SELECT id FROM outbox_event WHERE dispatched_at < now() - make_interval(hours => $1) LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [retentionHours, batch],
    );
    total += r.n;
    if (r.n < batch) break;
  }
  return total;
}
