import { badInput } from '../errors/index.js';

// Cursors are opaque to clients; inside they carry the EUID of the last row seen
// (never an internal id), and keyset pagination resumes after it.
export function encodeCursor(euid: string): string {
  return Buffer.from(`v1:${euid}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('v1:') || text.length < 4) throw badInput('after: invalid cursor', [{ path: ['after'], message: 'invalid cursor' }]);
  return text.slice(3);
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  endCursor: string | null;
  startCursor: string | null;
}

export function pageOf<T extends { euid: string }>(rows: T[], first: number): Page<T> {
  const items = rows.slice(0, first);
  return {
    items,
    hasNextPage: rows.length > first,
    startCursor: items.length ? encodeCursor(items[0].euid) : null,
    endCursor: items.length ? encodeCursor(items[items.length - 1].euid) : null,
  };
}
