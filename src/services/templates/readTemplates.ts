// Template reads for listings (REST templates, object-creation): live rows only,
// in code order (category/type/subtype/version), like GraphQL `templates`.
import type { Database } from '../../db/database.js';
import type { PrismaTypes, TemplateRow } from '../../db/prisma.js';
import { AppError } from '../../errors/index.js';
import { findTemplate } from './findTemplate.js';

export interface TemplateFilter {
  category?: string;
  type?: string;
  subtype?: string;
}

export const TEMPLATE_ORDER = [
  { category: 'asc' },
  { type: 'asc' },
  { subtype: 'asc' },
  { version: 'asc' },
] as const satisfies PrismaTypes.TemplateOrderByWithRelationInput[];

/** Live templates matching the filter; filter values are compared lowercased (codes are lowercase). */
export function templateWhere(f: TemplateFilter = {}): PrismaTypes.TemplateWhereInput {
  const where: PrismaTypes.TemplateWhereInput = { deletedAt: null };
  if (f.category) where.category = f.category.toLowerCase();
  if (f.type) where.type = f.type.toLowerCase();
  if (f.subtype) where.subtype = f.subtype.toLowerCase();
  return where;
}

/** Offset paging with the total (Bloom's page/page_size). Hidden templates are listed: they still exist. */
export async function listTemplatesByOffset(db: Database, filter: TemplateFilter, offset: number, limit: number) {
  const where = templateWhere(filter);
  const [rows, total] = await Promise.all([
    db.prisma.template.findMany({ where, orderBy: [...TEMPLATE_ORDER], skip: offset, take: limit }),
    db.prisma.template.count({ where }),
  ]);
  return { rows, total };
}

/** A live template by EUID, or null (deleted templates are not found). */
export async function findTemplateByEuid(db: Database, euid: string): Promise<TemplateRow | null> {
  const row = await db.prisma.template.findUnique({ where: { euid } });
  return row && !row.deletedAt ? row : null;
}

/** Every live template, optionally of one category (an unknown category is simply empty). */
export function listTemplates(db: Database, category?: string | null): Promise<TemplateRow[]> {
  return db.prisma.template.findMany({ where: templateWhere(category ? { category } : {}), orderBy: [...TEMPLATE_ORDER] });
}

/** A live template by EUID or by code (category/type/subtype/version), or null. */
export async function findTemplateByRef(db: Database, ref: string): Promise<TemplateRow | null> {
  try {
    return await findTemplate(db.prisma, ref.split('/').length === 4 ? { templateCode: ref } : { templateEuid: ref });
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}
