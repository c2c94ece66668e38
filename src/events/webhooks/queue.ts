// The webhook_delivery queue. Claims are short transactions: due, unlocked pending
// rows are taken with FOR UPDATE SKIP LOCKED and leased (locked_until) for the
// length of one attempt, so several instances never send the same attempt at once;
// a crashed instance's leases run out and the rows come back (at-least-once).
// Every completion is conditional on the lease it was claimed with.
import type { Database } from '../../db/database.js';
import { systemActor } from '../../auth/actor.js';
import { recordChange } from '../../services/recordChange.js';

export interface ClaimedDelivery {
  id: string;
  deliveryId: string;
  endpointId: number;
  endpointEuid: string;
  eventId: string;
  eventType: string;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
  /** Encrypted previous secret while its overlap window is open, else null. */
  previousSecret: string | null;
  /** The lease this worker holds (locked_until as stored). */
  lease: string;
}

interface ClaimRow {
  id: string;
  delivery_id: string;
  endpoint_id: number;
  endpoint_euid: string;
  event_id: string;
  event_type: string;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  lease: string;
}

const DUE = `x.status = 'pending' AND x.next_attempt_at <= now() AND (x.locked_until IS NULL OR x.locked_until < now())`;

export const INACTIVE_ERROR = 'endpoint_inactive_or_missing';

export interface ClaimOptions {
  /** At most this many rows in all. */
  limit: number;
  /** At most this many leased rows per endpoint, counting leases held by any instance. */
  perEndpoint: number;
  leaseMs: number;
}

export async function claimDue(db: Database, opts: ClaimOptions): Promise<ClaimedDelivery[]> {
  if (opts.limit <= 0) return [];
  const rows = await db.transaction(async (s) => {
    // Rows of disabled endpoints end as failed, with no HTTP call.
    await s.query(
      `UPDATE webhook_delivery d SET status = 'failed', last_error = '${INACTIVE_ERROR}', locked_until = NULL
       WHERE d.id IN (
         SELECT x.id FROM webhook_delivery x LEFT JOIN webhook_endpoint w ON w.id = x.endpoint_id
         WHERE ${DUE} AND (w.id IS NULL OR NOT w.active)
         LIMIT 1000 FOR UPDATE OF x SKIP LOCKED)`,
    );
    // Per endpoint, no more than its free slots (so a slow endpoint's backlog never
    // crowds out the others); oldest due first across endpoints.
    return s.query<ClaimRow>(
      `WITH due AS (
         SELECT c.id FROM webhook_endpoint w
         CROSS JOIN LATERAL (
           SELECT x.id, x.next_attempt_at FROM webhook_delivery x
           WHERE x.endpoint_id = w.id AND ${DUE}
           ORDER BY x.next_attempt_at, x.id
           LIMIT GREATEST(0, $2::int - (
             SELECT count(*) FROM webhook_delivery y
             WHERE y.endpoint_id = w.id AND y.status = 'pending' AND y.locked_until >= now()))::int
           FOR UPDATE SKIP LOCKED
         ) c
         WHERE w.active
         ORDER BY c.next_attempt_at, c.id
         LIMIT $1::int
       )
       UPDATE webhook_delivery d SET locked_until = now() + make_interval(secs => $3::double precision)
       FROM due, webhook_endpoint w
       WHERE d.id = due.id AND w.id = d.endpoint_id
       RETURNING d.id::text AS id, d.delivery_id, d.endpoint_id, w.euid AS endpoint_euid, d.event_id, d.event_type, d.payload,
         d.attempts, w.url, w.secret,
         CASE WHEN w.previous_secret_until > now() THEN w.previous_secret END AS previous_secret,
         d.locked_until::text AS lease`,
      [opts.limit, opts.perEndpoint, opts.leaseMs / 1000],
    );
  });
  return rows.map((r) => ({
    id: r.id,
    deliveryId: r.delivery_id,
    endpointId: Number(r.endpoint_id),
    endpointEuid: r.endpoint_euid,
    eventId: r.event_id,
    eventType: r.event_type,
    payload: r.payload,
    attempts: Number(r.attempts),
    url: r.url,
    secret: r.secret,
    previousSecret: r.previous_secret,
    lease: r.lease,
  }));
}

export interface AttemptRecord {
  status: number | null;
  error: string | null;
  startedAt: Date;
  durationMs: number;
}

const LEASED = `id = $1::bigint AND status = 'pending' AND locked_until = $2::timestamptz`;

/** false when the lease was lost (another instance took the row over): nothing recorded. */
export async function markDelivered(db: Database, d: ClaimedDelivery, a: AttemptRecord): Promise<boolean> {
  const rows = await db.query(
    `UPDATE webhook_delivery SET status = 'delivered', attempts = attempts + 1, last_status = $3, last_error = NULL,
       last_attempt_at = $4, last_duration_ms = $5, delivered_at = now(), locked_until = NULL
     WHERE ${LEASED} RETURNING id`,
    [d.id, d.lease, a.status, a.startedAt, a.durationMs],
  );
  return rows.length === 1;
}

export async function markFailed(
  db: Database,
  d: ClaimedDelivery,
  a: AttemptRecord,
  next: { status: 'pending'; delaySeconds: number } | { status: 'dead_letter' | 'failed' },
): Promise<boolean> {
  const delay = next.status === 'pending' ? next.delaySeconds : 0;
  const rows = await db.query(
    `UPDATE webhook_delivery SET status = $3, attempts = attempts + 1, last_status = $4, last_error = $5,
       last_attempt_at = $6, last_duration_ms = $7, locked_until = NULL,
       next_attempt_at = CASE WHEN $3 = 'pending' THEN now() + make_interval(secs => $8::double precision) ELSE next_attempt_at END
     WHERE ${LEASED} RETURNING id`,
    [d.id, d.lease, next.status, a.status, a.error, a.startedAt, a.durationMs, delay],
  );
  return rows.length === 1;
}

/** Gives a claimed row back untouched (the worker is stopping mid-send): it is sent again later. */
export async function releaseLease(db: Database, d: ClaimedDelivery): Promise<void> {
  await db.query(`UPDATE webhook_delivery SET locked_until = NULL WHERE ${LEASED}`, [d.id, d.lease]);
}

/** 410 Gone: the endpoint is disabled (audited as a system action). */
export async function disableEndpoint(db: Database, endpointId: number, reason: string): Promise<boolean> {
  return db.prisma.$transaction(async (tx) => {
    const before = await tx.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { euid: true, active: true, disabledReason: true } });
    if (!before?.active) return false;
    await tx.webhookEndpoint.update({ where: { id: endpointId }, data: { active: false, disabledReason: reason } });
    await recordChange(tx, systemActor('webhook-delivery-worker'), {
      operation: 'disableWebhookEndpoint',
      entityType: 'webhook_endpoint',
      entityEuid: before.euid,
      changes: { active: { old: true, new: false }, disabledReason: { old: before.disabledReason, new: reason } },
      events: [],
    });
    return true;
  });
}
