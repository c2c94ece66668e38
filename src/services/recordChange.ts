// Every successful write records who did what (audit) and what others should hear
// about (outbox), in the caller's transaction, in one round trip.
import { randomBytes } from 'node:crypto';
import type { Tx } from '../db/prisma.js';
import type { Actor } from '../auth/actor.js';
import type { EventType } from '../events/catalog.js';

export type FieldChanges = Record<string, { old: unknown; new: unknown }>;

export interface ChangeEvent {
  type: EventType;
  euid: string | null;
  externalId?: string | null;
  data: Record<string, unknown>;
}

export interface Change {
  operation: string;
  entityType: string;
  entityEuid: string;
  changes: FieldChanges;
  events: ChangeEvent[];
}

export const newEventId = () => `evt_${randomBytes(12).toString('hex')}`;

/** old → new for the keys whose values differ (JSON equality). */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChanges {
  const out: FieldChanges = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[k] ?? null;
    const b = after[k] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = { old: a, new: b };
  }
  return out;
}

export async function recordChange(tx: Tx, actor: Actor, change: Change): Promise<string[]> {
  const events = change.events.map((e) => ({
    event_id: newEventId(),
    type: e.type,
    euid: e.euid,
    external_id: e.externalId ?? null,
    data: e.data,
  }));
  await tx.$executeRawUnsafe(
    `WITH audit AS (
       INSERT INTO audit_log (actor_kind, actor_id, credential_id, operation, entity_type, entity_euid, changes, request_id, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
     )
     INSERT INTO outbox_event (event_id, type, euid, external_id, data)
     SELECT e.event_id, e.type, e.euid, e.external_id, e.data
     FROM jsonb_to_recordset($10::jsonb) AS e(event_id text, type text, euid text, external_id text, data jsonb)`,
    actor.kind,
    actor.id,
    actor.credentialId,
    change.operation,
    change.entityType,
    change.entityEuid,
    JSON.stringify(change.changes),
    actor.requestId,
    actor.idempotencyKey,
    JSON.stringify(events),
  );
  return events.map((e) => e.event_id);
}
