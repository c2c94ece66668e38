// P5's subscribers, in a process of their own (`node --import tsx bench/lib/subscriberClient.ts`):
// `sockets` graphql-ws connections × `perSocket` subscriptions each, every one
// authenticated with the bootstrap key in connection_init. Records, per event EUID,
// when each subscription received it (sharedNow(), comparable with the writer's clock).
//
// stdin commands (JSON lines) → stdout messages:
//   {type:'start', url, authorization, sockets, perSocket, query}
//       → {type:'connected', ms}  every socket has had connection_ack
//       → {type:'live', ms}       every subscription has received at least one event
//   {type:'report', euids, waitMs}
//       → {type:'result', …}      once every subscription has every one of `euids`, or after waitMs
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { emit, readCommands, sharedNow, type ChildMessage } from './child.js';

interface Start {
  url: string;
  authorization: string;
  sockets: number;
  perSocket: number;
  query: string;
  /** Sockets opened at once while connecting. */
  connectBatch?: number;
}

/** Per event: when each subscription got it (NaN = not yet), and how many got it. */
interface Receipt {
  at: Float64Array;
  count: number;
  duplicates: number;
}

const receipts = new Map<string, Receipt>();
const clients: Client[] = [];
const errors: string[] = [];
let errorCount = 0;
let completions = 0;
let closes = 0;
let total = 0;
let firstEventSeen: Uint8Array = new Uint8Array(0);
let liveCount = 0;
let started = 0;
let liveSent = false;
let waiter: (() => void) | null = null;
let connectedSockets = 0;

function note(err: unknown) {
  errorCount++;
  if (errors.length < 10) {
    const e = err as { code?: number; reason?: string; message?: string };
    errors.push(e?.code !== undefined ? `close ${e.code} ${e.reason ?? ''}` : Array.isArray(err) ? JSON.stringify(err).slice(0, 300) : String(e?.message ?? err));
  }
}

function onEvent(sub: number, euid: string) {
  const t = sharedNow();
  let r = receipts.get(euid);
  if (!r) receipts.set(euid, (r = { at: new Float64Array(total).fill(NaN), count: 0, duplicates: 0 }));
  if (Number.isNaN(r.at[sub])) {
    r.at[sub] = t;
    r.count++;
  } else r.duplicates++;
  if (!firstEventSeen[sub]) {
    firstEventSeen[sub] = 1;
    liveCount++;
    if (liveCount === total && !liveSent) {
      liveSent = true;
      emit({ type: 'live', ms: Math.round(performance.now() - started) });
    }
  }
  if (waiter && r.count === total) waiter();
}

async function start(s: Start) {
  started = performance.now();
  total = s.sockets * s.perSocket;
  firstEventSeen = new Uint8Array(total);
  const url = `${s.url.replace(/^http/, 'ws')}/graphql`;
  const batch = s.connectBatch ?? 50;
  let sub = 0;
  for (let i = 0; i < s.sockets; i += batch) {
    const acks: Promise<void>[] = [];
    for (let j = i; j < Math.min(s.sockets, i + batch); j++) {
      let acked!: () => void;
      acks.push(new Promise<void>((r) => (acked = r)));
      const client = createClient({
        url,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: s.authorization },
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: note,
        on: {
          connected: () => {
            connectedSockets++;
            acked();
          },
          closed: () => {
            closes++;
            acked();
          },
        },
      });
      clients.push(client);
      for (let k = 0; k < s.perSocket; k++) {
        const mine = sub++;
        client.subscribe<{ events?: { euid: string | null } }>(
          { query: s.query },
          {
            next: (r) => {
              if (r.errors) note(r.errors);
              const euid = r.data?.events?.euid;
              if (euid) onEvent(mine, euid);
            },
            error: note,
            complete: () => {
              completions++;
            },
          },
        );
      }
    }
    await Promise.all(acks);
  }
  emit({ type: 'connected', ms: Math.round(performance.now() - started), sockets: connectedSockets, closes, errors });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function report(euids: string[], waitMs: number) {
  const done = () => euids.every((e) => (receipts.get(e)?.count ?? 0) === total);
  if (!done()) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, waitMs);
      waiter = () => {
        if (done()) {
          clearTimeout(t);
          resolve();
        }
      };
    });
    waiter = null;
  }
  // Per event: [received, first, median, last] (shared clock, ms); subscriptions that missed any.
  const perEuid: Record<string, [number, number, number, number]> = {};
  const missedBy = new Set<number>();
  let duplicates = 0;
  for (const e of euids) {
    const r = receipts.get(e);
    if (!r) {
      perEuid[e] = [0, NaN, NaN, NaN];
      for (let i = 0; i < total; i++) missedBy.add(i);
      continue;
    }
    const times: number[] = [];
    for (let i = 0; i < total; i++) {
      if (Number.isNaN(r.at[i])) missedBy.add(i);
      else times.push(r.at[i]);
    }
    duplicates += r.duplicates;
    perEuid[e] = [r.count, Math.min(...times), median(times), Math.max(...times)];
  }
  emit({
    type: 'result',
    subscriptions: total,
    sockets: clients.length,
    connectedSockets,
    perEuid,
    subscriptionsThatMissedSome: missedBy.size,
    duplicates,
    eventsSeen: receipts.size,
    errorCount,
    errors,
    completions,
    closes,
    memoryMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
  });
}

readCommands(
  async (m: ChildMessage) => {
    if (m.type === 'start') await start(m as unknown as Start);
    else if (m.type === 'report') await report(m.euids as string[], Number(m.waitMs));
  },
  () => {
    for (const c of clients) void c.dispose();
    setTimeout(() => process.exit(0), 200).unref();
  },
);
