// Endpoint signing secrets: `whsec_` + base64 of 32 random bytes (Standard Webhooks),
// encrypted at rest with AES-256-GCM under sha256(LABGRAPH_ENCRYPTION_KEY), decrypted
// only to sign a delivery. The plaintext is returned once, on create and on rotate.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** Used when LABGRAPH_ENCRYPTION_KEY is unset (development only; the gateway warns in production). */
const DEV_ENCRYPTION_KEY = 'labgraph-development-webhook-encryption-key (set LABGRAPH_ENCRYPTION_KEY)';

const FORMAT = 'v1';

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The 32-byte AES key derived from the configured passphrase. */
export function encryptionKey(passphrase: string | undefined): Buffer {
  return createHash('sha256').update(passphrase ?? DEV_ENCRYPTION_KEY, 'utf8').digest();
}

/** `v1:<iv>:<tag>:<ciphertext>`, each part base64. */
export function encryptSecret(secret: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
}

export class SecretDecryptionError extends Error {
  constructor() {
    super('webhook secret cannot be decrypted (was LABGRAPH_ENCRYPTION_KEY changed?)');
    this.name = 'SecretDecryptionError';
  }
}

export function decryptSecret(stored: string, key: Buffer): string {
  const [format, iv, tag, ct] = stored.split(':');
  if (format !== FORMAT || !iv || !tag || ct === undefined) throw new SecretDecryptionError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptionError();
  }
}

/** The raw HMAC key of a Standard Webhooks secret: the base64 after `whsec_`, decoded. */
export function secretKeyBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}
