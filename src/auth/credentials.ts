// Credential formats. Secrets are high-entropy random strings, so one SHA-256 is
// the right hash (a slow KDF protects guessable passwords, not 190-bit secrets);
// only the hash is stored and compared.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Unbiased CSPRNG string over [A-Za-z0-9]. */
export function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += ALNUM[b % 62]; // 248 = 4 × 62: no modulo bias
    }
  }
  return out;
}

export const API_KEY_PREFIX = 'lgk';
export const API_KEY_RE = /^lgk_([A-Za-z0-9]{12})\.([A-Za-z0-9]{32})$/;
export const USER_TOKEN_RE = /^blm_[0-9a-f]{64}$/;
const JWT_RE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export type CredentialKind = 'api_key' | 'user_token' | 'jwt' | 'opaque';

export function credentialKind(token: string): CredentialKind {
  if (token.startsWith(`${API_KEY_PREFIX}_`)) return 'api_key';
  if (token.startsWith('blm_')) return 'user_token';
  if (JWT_RE.test(token)) return 'jwt';
  return 'opaque';
}

export function hashSecret(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function mintApiKey(): { keyId: string; token: string; hash: string } {
  const keyId = randomAlnum(12);
  const token = `${API_KEY_PREFIX}_${keyId}.${randomAlnum(32)}`;
  return { keyId, token, hash: hashSecret(token) };
}

export function mintUserToken(): { tokenId: string; token: string; hash: string } {
  const token = `blm_${randomBytes(32).toString('hex')}`;
  return { tokenId: `tok_${randomBytes(16).toString('hex')}`, token, hash: hashSecret(token) };
}

/** The Authorization header's bearer credential, or null when absent/malformed. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header);
  return m ? m[1] : null;
}
