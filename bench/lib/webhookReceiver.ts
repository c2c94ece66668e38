// P6's webhook receiver, in a process of its own (`node --import tsx bench/lib/webhookReceiver.ts`):
// a node:http server on 127.0.0.1 that answers 200 as soon as a request's body has
// arrived and counts distinct `webhook-id` headers (the event id, the same on every
// retry), and optionally a second server that accepts requests and never answers
// (a "dead" endpoint that holds the gateway's connections until its timeout).
//
// stdin commands (JSON lines) → stdout messages:
//   {type:'start', hang}           → {type:'ready', port, hangPort}
//   {type:'phase', name}           → {type:'phase-started', name}  counts start afresh; ids seen before are duplicates
//   {type:'await', expect, waitMs} → {type:'phase-result', …}      once the phase has `expect` distinct ids, or after waitMs
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { emit, readCommands, sharedNow, type ChildMessage } from './child.js';

interface Phase {
  name: string;
  startedAt: number;
  /** Receipt time of each new distinct id, in arrival order. */
  times: number[];
  requests: number;
  duplicates: number;
  missingId: number;
  nonPost: number;
}

const seen = new Set<string>();
let phase: Phase = newPhase('initial');
let waiter: (() => void) | null = null;
let hangRequests = 0;
const servers: http.Server[] = [];
const hanging = new Set<http.ServerResponse>();

function newPhase(name: string): Phase {
  return { name, startedAt: sharedNow(), times: [], requests: 0, duplicates: 0, missingId: 0, nonPost: 0 };
}

function listen(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function start(hang: boolean) {
  const healthy = await listen((req, res) => {
    req.resume();
    req.on('end', () => {
      const at = sharedNow();
      phase.requests++;
      if (req.method !== 'POST') phase.nonPost++;
      const id = req.headers['webhook-id'];
      if (typeof id !== 'string' || !id) phase.missingId++;
      else if (seen.has(id)) phase.duplicates++;
      else {
        seen.add(id);
        phase.times.push(at);
      }
      res.writeHead(200, { 'content-length': '0' });
      res.end();
      waiter?.();
    });
  });
  let hangPort: number | null = null;
  if (hang) {
    const dead = await listen((req, res) => {
      hangRequests++;
      req.resume();
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
    });
    hangPort = (dead.address() as AddressInfo).port;
  }
  emit({ type: 'ready', port: (healthy.address() as AddressInfo).port, hangPort });
}

const round = (v: number, d = 1) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : v);

async function awaitPhase(expect: number, waitMs: number) {
  if (phase.times.length < expect) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, waitMs);
      waiter = () => {
        if (phase.times.length >= expect) {
          clearTimeout(t);
          resolve();
        }
      };
    });
    waiter = null;
  }
  const t = phase.times;
  // Gaps between consecutive new ids: long ones mean the deliveries came in bursts.
  let maxGap = 0;
  let gapsOver250 = 0;
  for (let i = 1; i < t.length; i++) {
    const g = t[i] - t[i - 1];
    if (g > maxGap) maxGap = g;
    if (g > 250) gapsOver250++;
  }
  // Busiest and quietest whole seconds between the first and the last receipt.
  const perSecond: number[] = [];
  if (t.length) for (const x of t) perSecond[Math.floor((x - t[0]) / 1000)] = (perSecond[Math.floor((x - t[0]) / 1000)] ?? 0) + 1;
  const series = [...perSecond].map((n) => n ?? 0);
  const full = series.slice(0, Math.max(0, series.length - 1));
  emit({
    type: 'phase-result',
    name: phase.name,
    startedAt: phase.startedAt,
    distinct: t.length,
    requests: phase.requests,
    duplicates: phase.duplicates,
    missingId: phase.missingId,
    nonPost: phase.nonPost,
    firstAt: t[0] ?? NaN,
    lastAt: t[t.length - 1] ?? NaN,
    expectedAt: t.length >= expect && expect > 0 ? t[expect - 1] : NaN,
    maxGapMs: round(maxGap),
    gapsOver250ms: gapsOver250,
    perSecondMax: full.length ? Math.max(...full) : NaN,
    perSecondMin: full.length ? Math.min(...full) : NaN,
    hangRequests,
    /** New ids per second, counted from the first receipt (the last entry is a partial second). */
    perSecond: series,
  });
}

readCommands(
  async (m: ChildMessage) => {
    if (m.type === 'start') await start(Boolean(m.hang));
    else if (m.type === 'phase') {
      phase = newPhase(String(m.name));
      emit({ type: 'phase-started', name: phase.name });
    } else if (m.type === 'await') await awaitPhase(Number(m.expect), Number(m.waitMs));
  },
  () => {
    for (const res of hanging) res.destroy();
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    setTimeout(() => process.exit(0), 200).unref();
  },
);
