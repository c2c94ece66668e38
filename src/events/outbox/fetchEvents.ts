import type { Session } from '../../db/database.js';
import type { EventType, LabEvent } from '../catalog.js';

export interface OutboxRow {
  event_id: string;
  type: string;
  occurred_at: Date | string;
  euid: string | null;
  external_id: string | null;
  data: unknown;
  position: number | string;
}

export const OUTBOX_COLUMNS = 'event_id, type, occurred_at, euid, external_id, data, position';

export function toLabEvent(r: OutboxRow): LabEvent {
  return {
    id: r.event_id,
    type: r.type as EventType,
    occurredAt: new Date(r.occurred_at).toISOString(),
    euid: r.euid,
    externalId: r.external_id,
    data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
    position: Number(r.position),
  };
}

/** Published events after `position`, in order (subscription resume). */
export async function eventsAfter(db: Pick<Session, 'query'>, position: number, limit: number): Promise<LabEvent[]> {
  const rows = await db.query<OutboxRow>(
    `SELECT ${OUTBOX_COLUMNS} FROM outbox_event WHERE position > $1 ORDER BY position LIMIT $2`,
    [position, limit],
  );
  return rows.map(toLabEvent);
}
