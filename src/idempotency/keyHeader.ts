import { AppError } from '../errors/index.js';

// 1–255 printable ASCII characters (bioAF §5; longer keys were a 500 there).
const KEY_RE = /^[\x20-\x7e]{1,255}$/;

/** The Idempotency-Key header value, undefined when absent; 400 when malformed. */
export function idempotencyKeyFrom(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header) || !KEY_RE.test(header)) {
    throw new AppError('BAD_USER_INPUT', 'Idempotency-Key must be one value of 1–255 printable ASCII characters', 'invalid_idempotency_key', { status: 400 });
  }
  return header;
}
