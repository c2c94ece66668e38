// The pure parts of webhook delivery: secrets at rest, signing, retry decisions.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { decryptSecret, encryptSecret, encryptionKey, generateSecret, SecretDecryptionError } from '../../src/events/webhooks/secrets.js';
import { signatureHeaders } from '../../src/events/webhooks/sign.js';
import { afterFailure, parseRetryAfter, scheduledDelay } from '../../src/events/webhooks/retry.js';

describe('secrets', () => {
  it('are whsec_ + base64 of 32 random bytes, encrypted with AES-256-GCM at rest', () => {
    const s = generateSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(generateSecret()).not.toBe(s);
    const key = encryptionKey('a-32-character-or-longer-passphrase!!');
    const stored = encryptSecret(s, key);
    expect(stored).toMatch(/^v1:/);
    expect(stored.includes(s.slice(6))).toBe(false);
    expect(encryptSecret(s, key)).not.toBe(stored); // fresh IV each time
    expect(decryptSecret(stored, key)).toBe(s);
    expect(() => decryptSecret(stored, encryptionKey('another-32-character-passphrase!!!!'))).toThrow(SecretDecryptionError);
    const [v, iv, tag, ct] = stored.split(':');
    const flipped = Buffer.from(ct, 'base64');
    flipped[0] ^= 1;
    expect(() => decryptSecret([v, iv, tag, flipped.toString('base64')].join(':'), key)).toThrow(SecretDecryptionError);
    expect(decryptSecret(encryptSecret(s, encryptionKey(undefined)), encryptionKey(undefined))).toBe(s);
  });
});

describe('signatureHeaders', () => {
  it('signs both schemes with every secret, verifiable independently', () => {
    const [a, b] = [generateSecret(), generateSecret()];
    const body = JSON.stringify({ id: 'evt_1', type: 'object.created' });
    const t = Math.floor(Date.now() / 1000);
    const h = signatureHeaders({ eventId: 'evt_1', eventType: 'object.created', deliveryId: 'dlv_1', body, secrets: [a, b], timestamp: t });
    expect(h['webhook-timestamp']).toBe(String(t));
    expect(h['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(a).verify(body, h)).toEqual({ id: 'evt_1', type: 'object.created' });
    expect(new Webhook(b).verify(body, h)).toEqual({ id: 'evt_1', type: 'object.created' });
    const hex = (s: string) => createHmac('sha256', s).update(`${t}.${body}`).digest('hex');
    expect(h['x-labgraph-signature']).toBe(`t=${t},v1=${hex(a)},v1=${hex(b)}`);
    expect(() => signatureHeaders({ eventId: 'e', eventType: 'x', deliveryId: 'd', body, secrets: [] })).toThrow();
  });
});

describe('retry decisions', () => {
  const policy = { schedule: [60, 300, 1800], jitter: 0.1 };

  it('waits schedule[attempts-1] ± jitter, then dead-letters after the last gap', () => {
    expect(scheduledDelay(1, policy, () => 0.5)).toBe(60);
    expect(scheduledDelay(2, policy, () => 0)).toBeCloseTo(270);
    expect(scheduledDelay(3, policy, () => 1)).toBeCloseTo(1980);
    expect(afterFailure(1, 500, undefined, policy, () => 0.5)).toEqual({ status: 'pending', delaySeconds: 60 });
    expect(afterFailure(3, null, undefined, policy, () => 0.5)).toEqual({ status: 'pending', delaySeconds: 1800 });
    expect(afterFailure(4, 500, undefined, policy)).toEqual({ status: 'dead_letter' });
  });

  it('410 disables; Retry-After on 429/503 stretches the gap, never shortens it, and is ignored elsewhere', () => {
    expect(afterFailure(1, 410, undefined, policy)).toEqual({ status: 'failed', disableEndpoint: true });
    expect(afterFailure(1, 429, 600, policy, () => 0.5)).toEqual({ status: 'pending', delaySeconds: 600 });
    expect(afterFailure(1, 503, 5, policy, () => 0.5)).toEqual({ status: 'pending', delaySeconds: 60 });
    expect(afterFailure(1, 500, 600, policy, () => 0.5)).toEqual({ status: 'pending', delaySeconds: 60 });
  });

  it('parses Retry-After as seconds or an HTTP date, capped at 24 h', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Tue, 01 Dec 2026 12:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999999', now)).toBe(86_400);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
