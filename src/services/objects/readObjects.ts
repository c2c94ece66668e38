import { z } from 'zod';
import type { Database } from '../../db/database.js';
import type { ObjectRow, PrismaTypes } from '../../db/prisma.js';
import { decodeCursor, pageOf, type Page } from '../pagination.js';
import { parseInput } from '../validate.js';
import { badInput } from '../../errors/index.js';
import { TEMPLATE_CODE_RE } from './schemas.js';

export async function findObjectByEuid(db: Database, euid: string): Promise<ObjectRow | null> {
  const row = await db.prisma.materialObject.findUnique({ where: { euid } });
  return row && !row.deletedAt ? row : null;
}

export async function findObjectByExternalId(db: Database, category: string, externalId: string, scope = ''): Promise<ObjectRow | null> {
  return db.prisma.materialObject.findFirst({ where: { category, externalId, externalScope: scope, deletedAt: null } });
}

export const ObjectFilter = z.object({
  category: z.string().optional(),
  type: z.string().optional(),
  subtype: z.string().optional(),
  status: z.string().optional(),
  nameContains: z.string().max(256).optional(),
  externalId: z.string().optional(),
  barcode: z.string().optional(),
  templateCode: z.string().regex(TEMPLATE_CODE_RE).optional(),
  reference: z.object({ type: z.string(), value: z.string() }).optional(),
  createdAfter: z.date().optional(),
  createdBefore: z.date().optional(),
  includeDeleted: z.boolean().default(false),
});
export type ObjectFilterT = z.input<typeof ObjectFilter>;

export const MAX_PAGE = 500;
const PageArgs = z.object({ first: z.number().int().min(0).max(MAX_PAGE).default(50), after: z.string().nullish() });

export function objectWhere(raw: ObjectFilterT = {}): PrismaTypes.MaterialObjectWhereInput {
  const f = parseInput(ObjectFilter, raw);
  const where: PrismaTypes.MaterialObjectWhereInput = {};
  if (!f.includeDeleted) where.deletedAt = null;
  if (f.category) where.category = f.category;
  if (f.type) where.type = f.type.toLowerCase();
  if (f.subtype) where.subtype = f.subtype.toLowerCase();
  if (f.status) where.status = f.status;
  if (f.nameContains) where.name = { contains: f.nameContains, mode: 'insensitive' };
  if (f.externalId) where.externalId = f.externalId;
  if (f.barcode) where.barcode = f.barcode;
  if (f.templateCode) {
    const [category, type, subtype, version] = f.templateCode.split('/');
    where.template = { category, type, subtype, version };
  }
  if (f.reference) where.references = { some: { refType: f.reference.type, refValue: f.reference.value } };
  if (f.createdAfter || f.createdBefore) where.createdAt = { gte: f.createdAfter, lt: f.createdBefore };
  return where;
}

export async function listObjects(
  db: Database,
  filter: ObjectFilterT | undefined,
  args: { first?: number | null; after?: string | null },
): Promise<Page<ObjectRow>> {
  const where = objectWhere(filter);
  const { first, after } = parseInput(PageArgs, { first: args.first ?? undefined, after: args.after });
  // Keyset on the cursor row's position, so a cursor stays valid after its row is deleted or stops matching.
  let afterId: number | undefined;
  if (after) {
    const at = await db.prisma.materialObject.findUnique({ where: { euid: decodeCursor(after) }, select: { id: true } });
    if (!at) throw badInput('after: unknown cursor', [{ path: ['after'], message: 'unknown cursor' }]);
    afterId = at.id;
  }
  const rows = await db.prisma.materialObject.findMany({
    where: afterId === undefined ? where : { AND: [where, { id: { gt: afterId } }] },
    orderBy: { id: 'asc' },
    take: first + 1,
  });
  return pageOf(rows, first);
}

/** Offset paging for the REST door (Bloom's page/page_size), with the total. */
export async function listObjectsByOffset(db: Database, filter: ObjectFilterT | undefined, offset: number, limit: number) {
  const where = objectWhere(filter);
  const [rows, total] = await Promise.all([
    db.prisma.materialObject.findMany({ where, orderBy: { id: 'asc' }, skip: offset, take: limit }),
    db.prisma.materialObject.count({ where }),
  ]);
  return { rows, total };
}

export function countObjects(db: Database, filter: ObjectFilterT | undefined): Promise<number> {
  return db.prisma.materialObject.count({ where: objectWhere(filter) });
}
