// The search request (Bloom search v2, §1.9): one set of field schemas that both
// doors compose (REST with Bloom's snake_case names, GraphQL with camelCase), so
// every limit and normalisation rule lives here once.
import { z } from 'zod';

export const RECORD_TYPES = ['instance', 'template', 'lineage', 'audit'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
export const SORT_BY = ['timestamp', 'euid', 'name', 'record_type'] as const;
export type SortBy = (typeof SORT_BY)[number];
export const SORT_ORDER = ['asc', 'desc'] as const;
export const JSON_FILTER_OPS = ['eq', 'in', 'ilike', 'between', 'exists', 'contains'] as const;
export const SEARCH_MODES = ['any', 'all'] as const;

export const SEARCH_LIMITS = {
  queryLength: 256,
  jsonFilters: 50,
  pageSize: { min: 1, max: 500, default: 50 },
  maxScan: { min: 100, max: 20000, default: 5000 },
  exportRows: { min: 100, max: 50000, default: 10000 },
} as const;

const isRecordType = (s: string): s is RecordType => (RECORD_TYPES as readonly string[]).includes(s);

// PostgreSQL text cannot hold NUL: refused here rather than failing in the database.
const NUL_MESSAGE = 'Input should not contain NUL characters';
const hasNul = (v: unknown): boolean =>
  typeof v === 'string' ? v.includes('\u0000')
  : Array.isArray(v) ? v.some(hasNul)
  : v !== null && typeof v === 'object' ? Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x))
  : false;
const text = z.string().refine((s) => !s.includes('\u0000'), NUL_MESSAGE);
/** Any JSON value a filter compares with. */
const jsonValue = z.unknown().refine((v) => !hasNul(v), NUL_MESSAGE);

/** A comma string or a list; blanks dropped. */
const tokens = z
  .union([text, z.array(z.union([text, z.number()]))])
  .nullish()
  .transform((v) => (v == null ? [] : typeof v === 'string' ? v.split(',') : v.map(String)).map((s) => s.trim()).filter(Boolean));

/** Lowercased and de-duplicated (Bloom compares these case-insensitively). */
const lowerSet = tokens.transform((v) => [...new Set(v.map((s) => s.toLowerCase()))].sort());

const int = (min: number, max: number, dflt: number) => z.number().int().min(min).max(max).default(dflt);

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/**
 * ISO date or date-time (naive = UTC), or epoch seconds, as pydantic accepts them;
 * years 1–9999 (what both JavaScript and PostgreSQL represent), no rolled-over days.
 */
export const dateTime = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const raw = typeof v === 'string' ? v.trim() : v;
  const m = typeof raw === 'string' ? NAIVE.exec(raw) : null;
  const d = typeof raw === 'number' ? new Date(raw * 1000) : new Date(m ? `${raw.replace(' ', 'T')}${raw.length > 10 ? 'Z' : ''}` : raw);
  const year = d.getUTCFullYear();
  const rolled = m !== null && (year !== Number(m[1]) || d.getUTCMonth() + 1 !== Number(m[2]) || d.getUTCDate() !== Number(m[3]));
  if (Number.isNaN(d.getTime()) || year < 1 || year > 9999 || rolled) {
    ctx.addIssue({ code: 'custom', message: 'Input should be a valid datetime (years 1 to 9999)' });
    return z.NEVER;
  }
  return d;
});

export const JsonFilter = z.object({
  /** Dot-delimited path into the record's json_addl, e.g. properties.patient_id. */
  path: text.transform((s, ctx) => {
    const parts = s.trim().split('.').map((p) => p.trim()).filter(Boolean);
    if (!parts.length) {
      ctx.addIssue({ code: 'custom', message: 'Value error, JSON filter path cannot be empty' });
      return z.NEVER;
    }
    return parts;
  }),
  op: z.enum(JSON_FILTER_OPS).default('eq'),
  value: jsonValue.optional(),
  values: z.array(jsonValue).nullish().transform((v) => v ?? []),
  start: dateTime.nullish(),
  end: dateTime.nullish(),
});
export type JsonFilterT = z.output<typeof JsonFilter>;

/** Field schemas, keyed by their camelCase name. */
export const searchFields = {
  // Trimmed and capped, never refused (Bloom).
  query: text.nullish().transform((s) => (s ?? '').trim().slice(0, SEARCH_LIMITS.queryLength)),
  // Unknown record types are dropped silently; none = all (Bloom).
  recordTypes: tokens.transform((v) => [...new Set(v.map((s) => s.toLowerCase()).filter(isRecordType))]),
  categories: lowerSet,
  typeNames: lowerSet,
  subtypeNames: lowerSet,
  statuses: lowerSet,
  includeDeleted: z.boolean().default(false),
  // bounded: each filter becomes SQL conditions per record type
  jsonFilters: z.array(JsonFilter).max(SEARCH_LIMITS.jsonFilters).nullish().transform((v) => v ?? []),
  searchMode: z.enum(SEARCH_MODES).default('any'),
  createdDtStart: dateTime.nullish(),
  createdDtEnd: dateTime.nullish(),
  sortBy: z.enum(SORT_BY).default('timestamp'),
  sortOrder: z.enum(SORT_ORDER).default('desc'),
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: int(SEARCH_LIMITS.pageSize.min, SEARCH_LIMITS.pageSize.max, SEARCH_LIMITS.pageSize.default),
  maxScan: int(SEARCH_LIMITS.maxScan.min, SEARCH_LIMITS.maxScan.max, SEARCH_LIMITS.maxScan.default),
};

export const maxExportRows = int(SEARCH_LIMITS.exportRows.min, SEARCH_LIMITS.exportRows.max, SEARCH_LIMITS.exportRows.default);

export const SearchInput = z.object(searchFields);
export type SearchInputT = z.input<typeof SearchInput>;
/** A parsed request: what the search service runs. */
export type SearchRequest = z.output<typeof SearchInput>;
