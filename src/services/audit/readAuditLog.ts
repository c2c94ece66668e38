// The audit log, newest first. An entry's public id is the ADT EUID of its row
// number, so paging needs no second identifier.
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { PREFIX, euidSequence, formatEuid } from '../../domain/euid.js';
import { badInput } from '../../errors/index.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { parseInput } from '../validate.js';

export const AuditFilter = z.object({
  entityEuid: z.string().max(255).optional(),
  actorId: z.string().max(255).optional(),
  operation: z.string().max(100).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
});
export type AuditFilterT = z.input<typeof AuditFilter>;

export interface AuditEntry {
  euid: string;
  occurredAt: Date;
  actorKind: string;
  actorId: string;
  credentialId: string | null;
  operation: string;
  entityType: string;
  entityEuid: string;
  changes: unknown;
  requestId: string | null;
  idempotencyKey: string | null;
}

export async function readAuditLog(db: Database, raw: AuditFilterT, page: { first?: number; after?: string | null }) {
  const f = parseInput(AuditFilter, raw);
  const first = page.first ?? 50;
  if (first < 0 || first > 500) throw badInput('first: must be between 0 and 500', [{ path: ['first'], message: '0–500' }]);
  let before: bigint | null = null;
  if (page.after) {
    before = euidSequence(decodeCursor(page.after), PREFIX.audit);
    if (before === null) throw badInput('after: invalid cursor', [{ path: ['after'], message: 'invalid cursor' }]);
  }
  const rows = await db.prisma.auditLog.findMany({
    where: {
      entityEuid: f.entityEuid,
      actorId: f.actorId,
      operation: f.operation,
      occurredAt: f.from || f.to ? { gte: f.from, lt: f.to } : undefined,
      id: before !== null ? { lt: before } : undefined,
    },
    orderBy: { id: 'desc' },
    take: first + 1,
  });
  const items: AuditEntry[] = rows.slice(0, first).map(({ id, ...r }) => ({ ...r, euid: formatEuid(PREFIX.audit, id) }));
  return {
    items,
    hasNextPage: rows.length > first,
    endCursor: items.length ? encodeCursor(items[items.length - 1].euid) : null,
  };
}
