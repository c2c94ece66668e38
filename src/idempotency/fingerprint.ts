// The request fingerprint: SHA-256 over the method, the route or operation, and the
// canonical JSON of the body (keys sorted, nulls dropped), so key order and
// explicit nulls do not change it.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function fingerprint(method: string, route: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()}\n${route}\n${canonicalJson(body)}`).digest('hex');
}
