// The headers of one delivery attempt. Two signature schemes over the same raw body:
// - Standard Webhooks: webhook-signature `v1,<base64 HMAC-SHA256(key = base64-decoded
//   secret after whsec_, msg = "<webhook-id>.<webhook-timestamp>.<body>")>`;
// - bioAF / Stripe style: X-Labgraph-Signature `t=<unix>,v1=<hex HMAC-SHA256(key = UTF-8
//   of the whole secret string, msg = "<t>.<body>")>`.
// During a rotation overlap every secret signs: the Standard header carries a
// space-separated list, the X-Labgraph header several v1= values (newest first).
import { createHmac } from 'node:crypto';
import { secretKeyBytes } from './secrets.js';

export interface SignInput {
  /** The event id (evt_…): webhook-id, the same on every attempt and replay. */
  eventId: string;
  eventType: string;
  /** The delivery row id (dlv_…): the same across retries, new on replay. */
  deliveryId: string;
  /** The exact bytes sent. */
  body: string;
  /** Plaintext secrets, newest first. */
  secrets: string[];
  /** Unix seconds; defaults to now (signatures are taken at send time). */
  timestamp?: number;
}

export const USER_AGENT = 'labgraph-webhooks/1';

export function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', secretKeyBytes(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}

export function labgraphSignatureValue(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function signatureHeaders(input: SignInput): Record<string, string> {
  if (!input.secrets.length) throw new Error('no secret to sign with');
  const t = input.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': input.eventId,
    'webhook-timestamp': String(t),
    'webhook-signature': input.secrets.map((s) => standardSignature(s, input.eventId, t, input.body)).join(' '),
    'x-labgraph-event': input.eventType,
    'x-labgraph-delivery': input.deliveryId,
    'x-labgraph-event-id': input.eventId,
    'x-labgraph-signature': [`t=${t}`, ...input.secrets.map((s) => `v1=${labgraphSignatureValue(s, t, input.body)}`)].join(','),
  };
}
