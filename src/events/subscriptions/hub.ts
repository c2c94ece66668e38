// Fans published events out to this instance's subscribers. Subscribers are indexed
// by event type, so an event only costs the subscribers that want its type; the
// filter is applied here, before any GraphQL execution.
import type { Database } from '../../db/database.js';
import type { LabEvent } from '../catalog.js';
import type { EventBus } from '../bus/eventBus.js';
import type { EventFilterT } from './eventFilter.js';
import { createAsyncQueue, type AsyncQueue } from './asyncQueue.js';
import { eventsAfter } from '../outbox/fetchEvents.js';
import { AppError } from '../../errors/index.js';

/** A subscriber further behind than this is closed rather than buffered without bound. */
const MAX_QUEUE = 10_000;
const RESUME_PAGE = 500;

interface Subscriber {
  filter: EventFilterT;
  euids?: Set<string>;
  externalIds?: Set<string>;
  /** May this caller see this event (permissions)? */
  allowed(e: LabEvent): boolean;
  deliver(e: LabEvent): void;
}

export interface SubscriptionHub {
  subscribe(filter: EventFilterT, opts: { after?: string; allowed(e: LabEvent): boolean }): Promise<AsyncQueue<LabEvent>>;
  readonly size: number;
  close(): void;
}

export function createSubscriptionHub(db: Database, bus: EventBus): SubscriptionHub {
  // Indexed by their most selective static filter: EUIDs, else types, else everything.
  const byEuid = new Map<string, Set<Subscriber>>();
  const byType = new Map<string, Set<Subscriber>>();
  const anyType = new Set<Subscriber>();
  let count = 0;

  const bucket = (map: Map<string, Set<Subscriber>>, key: string) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    return set;
  };
  const index = (s: Subscriber, add: boolean) => {
    const sets = s.euids ? [...s.euids].map((k) => bucket(byEuid, k))
      : s.filter.types?.length ? s.filter.types.map((t) => bucket(byType, t))
      : [anyType];
    for (const set of sets) {
      if (add) set.add(s);
      else set.delete(s);
    }
    count += add ? 1 : -1;
  };

  /** EUID → its ancestors (inclusive), for the events of one batch; one recursive query. */
  async function ancestry(euids: string[]): Promise<Map<string, Set<string>>> {
    const rows = await db.query<{ start: string; ancestor: string }>(
      `WITH RECURSIVE up(start, id) AS (
         SELECT o.euid, o.id FROM material_object o WHERE o.euid = ANY($1::text[])
         UNION
         SELECT u.start, e.parent_id FROM up u JOIN lineage_edge e ON e.child_id = u.id
       )
       SELECT u.start, o.euid AS ancestor FROM up u JOIN material_object o ON o.id = u.id`,
      [euids],
    );
    const map = new Map<string, Set<string>>();
    for (const r of rows) {
      let set = map.get(r.start);
      if (!set) map.set(r.start, (set = new Set()));
      set.add(r.ancestor);
    }
    return map;
  }

  /** Every object an event is about: its own EUID and the ends of an edge or a placement. */
  const concerns = (e: LabEvent): string[] => {
    const d = e.data as Record<string, unknown>;
    return [e.euid, d.parentEuid, d.childEuid, d.containerEuid, d.contentEuid].filter((x): x is string => typeof x === 'string');
  };

  /** Subjects of an event for the subtree filter: the object, the child of an edge, the content placed. */
  const subjects = (e: LabEvent): string[] => {
    const d = e.data as { childEuid?: unknown; contentEuid?: unknown };
    return [e.euid, typeof d.childEuid === 'string' ? d.childEuid : null, typeof d.contentEuid === 'string' ? d.contentEuid : null]
      .filter((x): x is string => Boolean(x));
  };

  const matchesStatic = (s: Subscriber, e: LabEvent) =>
    (!s.filter.types?.length || s.filter.types.includes(e.type as never)) &&
    (!s.euids || concerns(e).some((x) => s.euids!.has(x))) &&
    (!s.externalIds || (e.externalId !== null && s.externalIds.has(e.externalId)));

  /** Delivers each event to those of its candidates whose filter and permissions pass; one ancestry query per batch. */
  async function dispatch(events: LabEvent[], candidatesFor: (e: LabEvent) => Iterable<Subscriber>): Promise<void> {
    const perEvent = events.map((e) => ({ e, subs: [...candidatesFor(e)].filter((s) => matchesStatic(s, e) && s.allowed(e)) }));
    const subtree = perEvent.filter((p) => p.subs.some((s) => s.filter.descendantOf));
    const anc = subtree.length ? await ancestry([...new Set(subtree.flatMap((p) => subjects(p.e)))]) : null;
    for (const { e, subs } of perEvent) {
      for (const s of subs) {
        const root = s.filter.descendantOf;
        if (root && !subjects(e).some((x) => x === root || anc?.get(x)?.has(root))) continue;
        s.deliver(e);
      }
    }
  }

  const route = (events: LabEvent[]) =>
    dispatch(events, (e) => new Set([...concerns(e).flatMap((x) => [...(byEuid.get(x) ?? [])]), ...(byType.get(e.type) ?? []), ...anyType]));
  const routeTo = (s: Subscriber, events: LabEvent[]) => dispatch(events, () => [s]);

  // Events arrive in publication order; routing is serialized to keep it.
  let chain = Promise.resolve();
  const unsubscribeBus = bus.subscribe((events) => {
    chain = chain.then(() => route(events)).catch(() => undefined);
  });

  return {
    get size() {
      return count;
    },
    close() {
      unsubscribeBus();
    },
    async subscribe(filter, opts) {
      let lastPosition = 0;
      let replaying = Boolean(opts.after);
      const buffered: LabEvent[] = [];
      const queue = createAsyncQueue<LabEvent>(() => index(sub, false));
      const push = (e: LabEvent) => {
        if (e.position <= lastPosition) return; // already sent during resume
        lastPosition = e.position;
        queue.push(e);
        if (queue.size > MAX_QUEUE) queue.fail(new AppError('SERVICE_UNAVAILABLE', 'Subscriber too slow: more than 10000 events behind', 'subscriber_too_slow'));
      };
      const sub: Subscriber = {
        filter,
        euids: filter.euids ? new Set(filter.euids) : undefined,
        externalIds: filter.externalIds ? new Set(filter.externalIds) : undefined,
        allowed: opts.allowed,
        deliver: (e) => (replaying ? buffered.push(e) : push(e)),
      };
      index(sub, true); // live first, so nothing published during the resume falls between
      if (opts.after) {
        try {
          const [at] = await db.query<{ position: number | null }>(`SELECT position FROM outbox_event WHERE event_id = $1`, [opts.after]);
          if (!at || at.position === null) {
            throw new AppError('BAD_USER_INPUT', `after: event ${opts.after} is unknown or older than the retention window`, 'event_cursor_expired');
          }
          lastPosition = Number(at.position);
          for (let page = 0; page < 10_000; page++) {
            const missed = await eventsAfter(db, lastPosition, RESUME_PAGE);
            // the same filter as live routing, one page at a time
            const keep = new Set<LabEvent>();
            const probe: Subscriber = { ...sub, deliver: (e) => keep.add(e) };
            await routeTo(probe, missed);
            for (const e of missed) if (keep.has(e)) push(e);
            if (missed.length) lastPosition = Math.max(lastPosition, missed[missed.length - 1].position);
            if (missed.length < RESUME_PAGE) break;
          }
        } catch (err) {
          await queue.return?.();
          throw err;
        }
        replaying = false;
        for (const e of buffered.splice(0)) push(e);
      }
      return queue;
    },
  };
}
