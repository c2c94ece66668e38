// The only publisher. Takes committed, unpublished outbox rows, gives them their
// publication position, fans them out to webhook deliveries — all in one
// transaction — and after commit hands them to the bus. Woken by the outbox
// NOTIFY trigger (delivered at commit), with polling as the safety net.
// One dispatcher at a time holds the advisory lock, so positions follow commit order
// across instances; a crash before publish loses no event: subscribers resume from
// the outbox by position, webhook deliveries are already rows.
import type { Database } from '../../db/database.js';
import type { Logger } from '../../http/logger.js';
import type { LabEvent } from '../catalog.js';
import type { EventBus } from '../bus/eventBus.js';
import { OUTBOX_COLUMNS, toLabEvent, type OutboxRow } from './fetchEvents.js';

const DISPATCH_LOCK = 72707371;
const BATCH = 500;

export interface Dispatcher {
  /** Runs one dispatch round now (tests, shutdown). Resolves to the number of events published. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export interface DispatcherOptions {
  pollMs?: number;
  onPublished?: (events: LabEvent[]) => void;
}

async function dispatchBatch(db: Database): Promise<LabEvent[]> {
  return db.transaction(async (s) => {
    const [lock] = await s.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${DISPATCH_LOCK}) AS ok`);
    if (!lock.ok) return []; // another instance is dispatching; it will take these rows
    const rows = await s.query<OutboxRow>(
      `WITH next AS (
         SELECT id FROM outbox_event WHERE dispatched_at IS NULL ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
       ), numbered AS (
         SELECT id, nextval('outbox_position_seq') AS position FROM (SELECT id FROM next ORDER BY id) n
       )
       UPDATE outbox_event o SET position = numbered.position, dispatched_at = now()
       FROM numbered WHERE o.id = numbered.id
       RETURNING ${OUTBOX_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}`,
    );
    const events = rows.map(toLabEvent).sort((a, b) => a.position - b.position);
    if (events.length) await createDeliveries(s, events);
    return events;
  });
}

/** One delivery row per (event, active endpoint subscribed to its type and matching its filter). */
async function createDeliveries(s: { query: Database['query'] }, events: LabEvent[]): Promise<void> {
  await s.query(
    `INSERT INTO webhook_delivery (delivery_id, endpoint_id, event_id, event_type, payload)
     SELECT 'dlv_' || md5(e.id || ':' || w.id || ':' || clock_timestamp()::text || random()::text), w.id, e.id, e.type, e.body
     FROM jsonb_to_recordset($1::jsonb) AS e(id text, type text, euid text, external_id text, body text)
     JOIN webhook_endpoint w ON w.active AND e.type = ANY(w.event_types)
      AND (NOT (w.filter ? 'euids') OR e.euid IN (SELECT jsonb_array_elements_text(w.filter->'euids')))
      AND (NOT (w.filter ? 'externalIds') OR e.external_id IN (SELECT jsonb_array_elements_text(w.filter->'externalIds')))`,
    [JSON.stringify(events.map((e) => ({ id: e.id, type: e.type, euid: e.euid, external_id: e.externalId, body: webhookBody(e) })))],
  );
}

/** The webhook body: the event without its internal position. Sent byte-identical on every attempt. */
export function webhookBody(e: LabEvent): string {
  return JSON.stringify({ id: e.id, type: e.type, occurredAt: e.occurredAt, euid: e.euid, externalId: e.externalId, data: e.data });
}

export async function startDispatcher(db: Database, bus: EventBus, logger: Logger, opts: DispatcherOptions = {}): Promise<Dispatcher> {
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;

  const round = async (): Promise<number> => {
    let total = 0;
    for (let i = 0; i < 100 && !stopped; i++) {
      const events = await dispatchBatch(db);
      if (!events.length) break;
      total += events.length;
      await bus.publish(events).catch((err: unknown) => logger.warn({ err }, 'event bus publish failed; subscribers can resume from the outbox'));
      opts.onPublished?.(events);
      if (events.length < BATCH) break;
    }
    return total;
  };

  const kick = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = round()
      .catch((err: unknown) => {
        logger.warn({ err }, 'outbox dispatch failed; will retry');
        return 0;
      })
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          void kick();
        }
      });
    return running;
  };

  const unlisten = await db.listen('labgraph_outbox', () => void kick());
  const timer = setInterval(() => void kick(), opts.pollMs ?? 1000);
  timer.unref();
  void kick();

  return {
    drain: kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await unlisten();
      await running;
    },
  };
}
