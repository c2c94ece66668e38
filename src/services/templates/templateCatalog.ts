// The template catalog an object-creation wizard walks: categories → types →
// subtypes (with versions) → one template. Only templates a caller may pick are
// offered: live, not hidden, not of a retired category.
import type { Database } from '../../db/database.js';
import type { TemplateRow } from '../../db/prisma.js';
import { notFound } from '../../errors/index.js';
import { templateWhere } from './readTemplates.js';

/** Bloom's retired template categories: never offered for creation. */
export const RETIRED_CATEGORIES: readonly string[] = ['workflow', 'workflow_step', 'test_requisition'];

/** Case-insensitive order with the exact text as tie-break (Python's `(s.casefold(), s)`). */
export function caseFoldCompare(a: string, b: string): number {
  const fa = a.toLowerCase();
  const fb = b.toLowerCase();
  if (fa !== fb) return fa < fb ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

function offered(db: Database, filter: { category?: string; type?: string } = {}): Promise<TemplateRow[]> {
  return db.prisma.template.findMany({
    where: {
      ...templateWhere(),
      hidden: false,
      category: filter.category ?? { notIn: [...RETIRED_CATEGORIES] },
      ...(filter.type ? { type: filter.type } : {}),
    },
  });
}

const isRetired = (category: string) => RETIRED_CATEGORIES.includes(category);

/** Distinct values of `key` with the number of distinct `sub` values under each, case-fold sorted. */
function group(rows: TemplateRow[], key: 'category' | 'type', sub: 'type' | 'subtype'): { name: string; count: number }[] {
  const map = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!map.has(r[key])) map.set(r[key], new Set());
    map.get(r[key])!.add(r[sub]);
  }
  return [...map.keys()].sort(caseFoldCompare).map((name) => ({ name, count: map.get(name)!.size }));
}

export async function listTemplateCategories(db: Database): Promise<{ name: string; typeCount: number }[]> {
  return group(await offered(db), 'category', 'type').map((g) => ({ name: g.name, typeCount: g.count }));
}

/** The types of a category; NOT_FOUND "Category not found: c" when it offers none. */
export async function listTemplateTypes(db: Database, category: string): Promise<{ name: string; subtypeCount: number }[]> {
  const rows = isRetired(category) ? [] : await offered(db, { category });
  if (!rows.length) throw notFound('Category', category);
  return group(rows, 'type', 'subtype').map((g) => ({ name: g.name, subtypeCount: g.count }));
}

export interface SubtypeEntry {
  name: string;
  versions: string[];
  description: string;
}

/** The subtypes (with their versions) of category/type; NOT_FOUND "Type not found: c/t" when none. */
export async function listTemplateSubtypes(db: Database, category: string, type: string): Promise<SubtypeEntry[]> {
  const rows = isRetired(category) ? [] : await offered(db, { category, type });
  if (!rows.length) throw notFound('Type', `${category}/${type}`);
  const map = new Map<string, SubtypeEntry>();
  for (const r of rows) {
    const e = map.get(r.subtype) ?? { name: r.subtype, versions: [], description: '' };
    if (!e.versions.includes(r.version)) e.versions.push(r.version);
    if (!e.description) e.description = r.description ?? '';
    map.set(r.subtype, e);
  }
  return [...map.keys()].sort(caseFoldCompare).map((k) => {
    const e = map.get(k)!;
    return { ...e, versions: e.versions.sort(caseFoldCompare) };
  });
}

/**
 * One live template by its four parts, failing on the first missing level:
 * "Type not found: c/t", then "Subtype not found: s", then "Version not found: v".
 */
export async function findTemplateVersion(db: Database, category: string, type: string, subtype: string, version: string): Promise<TemplateRow> {
  const live = templateWhere();
  const at = (where: object) => db.prisma.template.findFirst({ where: { ...live, category, type, ...where } });
  if (!(await at({}))) throw notFound('Type', `${category}/${type}`);
  if (!(await at({ subtype }))) throw notFound('Subtype', subtype);
  const row = await at({ subtype, version });
  if (!row) throw notFound('Version', version);
  return row;
}
