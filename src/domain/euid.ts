// EUIDs: PREFIX-BODYCHECK (Bloom §0.2). BODY is a Crockford base-32 integer with
// no leading zero; CHECK is a Luhn mod-32 character over [DOMAIN] PREFIX BODY.
/** Crockford base-32, the digits of an EUID body. */
export const EUID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ALPHABET = EUID_ALPHABET;
const PREFIX_RE = /^[ABCDEFGHJKMNPQRSTVWXYZ]{2,3}$/;
const EUID_RE = /^(?:([0-9A-HJKMNP-TV-Z]):)?([A-HJKMNP-TV-Z]{2,3})-([1-9A-HJKMNP-TV-Z][0-9A-HJKMNP-TV-Z]*)([0-9A-HJKMNP-TV-Z])$/;

function luhnMod32(chars: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    let addend = factor * ALPHABET.indexOf(chars[i]);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return ALPHABET[(32 - (sum % 32)) % 32];
}

export function toBase32(n: bigint | number): string {
  let v = BigInt(n);
  if (v <= 0n) throw new RangeError('EUID sequence values start at 1');
  let out = '';
  while (v > 0n) {
    out = ALPHABET[Number(v % 32n)] + out;
    v /= 32n;
  }
  return out;
}

export function isValidPrefix(prefix: string): boolean {
  return PREFIX_RE.test(prefix);
}

export function formatEuid(prefix: string, n: bigint | number, domain?: string): string {
  if (!isValidPrefix(prefix)) throw new RangeError(`Invalid EUID prefix: ${prefix}`);
  const body = toBase32(n);
  return `${domain ? `${domain}:` : ''}${prefix}-${body}${luhnMod32((domain ?? '') + prefix + body)}`;
}

/** True when the string is a well-formed EUID whose check character matches. */
export function isValidEuid(value: string): boolean {
  const m = EUID_RE.exec(value);
  if (!m) return false;
  const [, domain = '', prefix, body, check] = m;
  return luhnMod32(domain + prefix + body) === check;
}

export function euidPrefix(value: string): string | undefined {
  return EUID_RE.exec(value)?.[2];
}

/** Prefixes with a fixed meaning (Bloom's, so Bloom clients see familiar ids). */
export const PREFIX = {
  container: 'BCN',
  content: 'BCT',
  subject: 'BSJ',
  equipment: 'BEQ',
  data: 'BDT',
  file: 'BFX',
  template: 'BGT',
  edge: 'EDG',
  audit: 'ADT',
  auth: 'BBX',
  webhook: 'BWH',
  project: 'BPJ',
  experiment: 'BXP',
} as const;

/** The sequence number in a valid EUID's body (inverse of formatEuid), or null. */
export function euidSequence(value: string, prefix?: string): bigint | null {
  const m = EUID_RE.exec(value);
  if (!m || !isValidEuid(value) || (prefix && m[2] !== prefix)) return null;
  let n = 0n;
  for (const ch of m[3]) n = n * 32n + BigInt(ALPHABET.indexOf(ch));
  return n;
}
