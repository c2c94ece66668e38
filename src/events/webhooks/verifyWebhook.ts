// Receiver-side verification of labgraph webhooks. Self-contained (node:crypto only)
// so a receiver can copy this file as is.
//
//   const event = verifyWebhook(process.env.WEBHOOK_SECRET, req.headers, rawBody);
//
// Checks the Standard Webhooks signature (webhook-id, webhook-timestamp,
// webhook-signature) over the raw body, in constant time, against one secret or
// several (during a rotation), refuses timestamps outside the tolerance, and returns
// the parsed event. `verifyLabgraphSignature` checks the bioAF/Stripe-style
// X-Labgraph-Signature header instead.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface WebhookEvent {
  id: string;
  type: string;
  occurredAt: string;
  euid: string | null;
  externalId: string | null;
  data: Record<string, unknown>;
}

export interface VerifyOptions {
  /** Maximum |now − webhook-timestamp| in seconds (default 300). */
  toleranceSeconds?: number;
  /** Unix seconds to check the timestamp against (tests); defaults to now. */
  now?: number;
}

export type HeaderSource =
  | Headers
  | Record<string, string | string[] | undefined>;

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const rec = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : rec[key];
  return Array.isArray(v) ? v.join(', ') : v;
}

const bodyText = (raw: string | Uint8Array): string => (typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function checkTimestamp(raw: string | undefined, opts: VerifyOptions): number {
  if (!raw || !/^\d{1,12}$/.test(raw)) throw new WebhookVerificationError('Missing or invalid timestamp');
  const t = Number(raw);
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const tolerance = opts.toleranceSeconds ?? 300;
  if (Math.abs(now - t) > tolerance) throw new WebhookVerificationError(`Timestamp outside the ${tolerance} s tolerance`);
  return t;
}

function secretList(secret: string | string[]): string[] {
  const list = (Array.isArray(secret) ? secret : [secret]).filter((s) => typeof s === 'string' && s.length > 0);
  if (!list.length) throw new WebhookVerificationError('No secret given');
  return list;
}

/** Verifies the Standard Webhooks signature and returns the parsed event; throws WebhookVerificationError. */
export function verifyWebhook(secret: string | string[], headers: HeaderSource, rawBody: string | Uint8Array, opts: VerifyOptions = {}): WebhookEvent {
  const id = header(headers, 'webhook-id');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !signatures) throw new WebhookVerificationError('Missing webhook-id or webhook-signature header');
  const t = checkTimestamp(header(headers, 'webhook-timestamp'), opts);
  const body = bodyText(rawBody);
  const passed = signatures.split(' ').filter((s) => s.startsWith('v1,')).map((s) => s.slice(3));
  const matched = secretList(secret).some((s) => {
    const key = Buffer.from(s.startsWith('whsec_') ? s.slice(6) : s, 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${t}.${body}`, 'utf8').digest('base64');
    return passed.some((p) => safeEqual(p, expected));
  });
  if (!matched) throw new WebhookVerificationError('No matching signature');
  return parseEvent(body, id);
}

/** Verifies X-Labgraph-Signature (`t=<unix>,v1=<hex>[,v1=<hex>…]`) and returns the parsed event. */
export function verifyLabgraphSignature(secret: string | string[], headers: HeaderSource, rawBody: string | Uint8Array, opts: VerifyOptions = {}): WebhookEvent {
  const value = header(headers, 'x-labgraph-signature');
  if (!value) throw new WebhookVerificationError('Missing X-Labgraph-Signature header');
  const parts = value.split(',').map((p) => p.trim());
  const t = checkTimestamp(parts.find((p) => p.startsWith('t='))?.slice(2), opts);
  const passed = parts.filter((p) => p.startsWith('v1=')).map((p) => p.slice(3));
  const body = bodyText(rawBody);
  const matched = secretList(secret).some((s) => {
    const expected = createHmac('sha256', Buffer.from(s, 'utf8')).update(`${t}.${body}`, 'utf8').digest('hex');
    return passed.some((p) => safeEqual(p, expected));
  });
  if (!matched) throw new WebhookVerificationError('No matching signature');
  return parseEvent(body, header(headers, 'x-labgraph-event-id'));
}

function parseEvent(body: string, expectedId: string | undefined): WebhookEvent {
  let event: WebhookEvent;
  try {
    event = JSON.parse(body) as WebhookEvent;
  } catch {
    throw new WebhookVerificationError('Body is not JSON');
  }
  if (expectedId !== undefined && event?.id !== expectedId) throw new WebhookVerificationError('Body id does not match the signed event id');
  return event;
}
