// Search across instances, templates, lineage edges and audit entries (Bloom
// search v2): the one implementation behind REST /search/v2 and GraphQL `search`.
//
// Who sees what: searching needs objects:read. Lineage edges need lineage:read
// and audit entries audit:read; a record type the caller may not read is dropped
// from the request silently, the way Bloom drops unknown record types, so the
// same request works for every role and simply returns less.
import type { Database } from '../../db/database.js';
import type { ObjectRow, TemplateRow } from '../../db/prisma.js';
import type { Principal } from '../../auth/actor.js';
import { can, requirePermission } from '../../auth/authorize.js';
import { objectFromSql, type ObjectSqlRow } from '../objects/objectFromSql.js';
import { edgeFromSql, json, type EdgeSqlRow, type JsonValue } from '../lineage/edgeFromSql.js';
import type { TraversalEdge } from '../lineage/traverseLineage.js';
import type { AuditEntry } from '../audit/readAuditLog.js';
import { PREFIX, formatEuid } from '../../domain/euid.js';
import { RECORD_TYPES, type RecordType, type SearchRequest, type SortBy } from './searchRequest.js';
import { buildSearchSql, type SearchSqlRow } from './searchSql.js';

interface HitBase {
  euid: string;
  name: string;
  category: string;
  type: string;
  subtype: string;
  status: string;
  createdAt: Date;
  modifiedAt: Date;
  /** The instant the hit sorts by (creation; the audit entry's time). */
  timestamp: Date;
}

export type SearchHit =
  | (HitBase & { recordType: 'instance'; object: ObjectRow })
  | (HitBase & { recordType: 'template'; template: TemplateRow })
  | (HitBase & { recordType: 'lineage'; edge: TraversalEdge; parentType: string; childType: string })
  | (HitBase & { recordType: 'audit'; entry: AuditEntry });

export interface SearchFacets {
  /** Matches per record type searched, before the max_scan cut. */
  recordType: Partial<Record<RecordType, number>>;
  /** Scanned hits per category (empty categories left out). */
  category: Record<string, number>;
}

export interface SearchResult {
  query: string;
  page: number;
  pageSize: number;
  /** Hits scanned (at most max_scan per record type): what the pages cover. */
  total: number;
  totalPages: number;
  sortBy: SortBy;
  sortOrder: 'asc' | 'desc';
  /** Some record type matched more than max_scan rows. */
  truncated: boolean;
  facets: SearchFacets;
  hits: SearchHit[];
}

export interface SearchCaller {
  db: Database;
  actor: Principal;
}

/** The record types this caller searches: the requested ones (none = all) it may read. */
export function searchableTypes(actor: Principal, requested: RecordType[]): RecordType[] {
  const wanted = requested.length ? requested : [...RECORD_TYPES];
  return wanted.filter((t) => (t === 'lineage' ? can(actor, 'lineage:read') : t === 'audit' ? can(actor, 'audit:read') : true));
}

interface TemplateSqlRow {
  id: number;
  euid: string;
  category: string;
  type: string;
  subtype: string;
  version: string;
  name: string;
  description: string | null;
  prefix: string;
  schema: TemplateRow['schema'];
  defaults: TemplateRow['defaults'];
  hidden: boolean;
  deleted_at: string | null;
  created_at: string;
}

interface ItemSqlRow {
  rt: RecordType;
  euid: string | null;
  o: ObjectSqlRow | null;
  t: TemplateSqlRow | null;
  e: (EdgeSqlRow & { parent_type: string; child_type: string }) | null;
  a: {
    /** The audit row number (its EUID's body); never leaves the service. */
    seq: string;
    occurred_at: string; actor_kind: string; actor_id: string; credential_id: string | null; operation: string;
    entity_type: string; entity_euid: string; changes: unknown; request_id: string | null; idempotency_key: string | null;
  } | null;
}

function toHit(r: ItemSqlRow): SearchHit {
  if (r.rt === 'instance' && r.o) {
    const o = objectFromSql(r.o);
    return {
      recordType: 'instance', object: o, euid: o.euid, name: o.name, category: o.category, type: o.type, subtype: o.subtype,
      status: o.status, createdAt: o.createdAt, modifiedAt: o.updatedAt, timestamp: o.createdAt,
    };
  }
  if (r.rt === 'template' && r.t) {
    const t = r.t;
    const template: TemplateRow = {
      id: t.id, euid: t.euid, category: t.category, type: t.type, subtype: t.subtype, version: t.version, name: t.name,
      description: t.description, prefix: t.prefix, schema: t.schema, defaults: t.defaults, hidden: t.hidden,
      deletedAt: t.deleted_at === null ? null : new Date(t.deleted_at), createdAt: new Date(t.created_at),
    };
    return {
      recordType: 'template', template, euid: t.euid, name: t.name, category: t.category, type: t.type, subtype: t.subtype,
      status: t.hidden ? 'hidden' : 'active', createdAt: template.createdAt, modifiedAt: template.createdAt, timestamp: template.createdAt,
    };
  }
  if (r.rt === 'lineage' && r.e) {
    const edge = edgeFromSql(r.e);
    // Bloom shows a lineage's type/subtype/status as parent type/child type/relationship type.
    return {
      recordType: 'lineage', edge, parentType: r.e.parent_type, childType: r.e.child_type, euid: edge.euid, name: '', category: 'lineage',
      type: r.e.parent_type, subtype: r.e.child_type, status: edge.relationshipType,
      createdAt: edge.createdAt, modifiedAt: edge.createdAt, timestamp: edge.createdAt,
    };
  }
  if (r.rt === 'audit' && r.a) {
    const a = r.a;
    const at = new Date(a.occurred_at);
    const euid = formatEuid(PREFIX.audit, BigInt(a.seq));
    const entry: AuditEntry = {
      euid, occurredAt: at, actorKind: a.actor_kind, actorId: a.actor_id, credentialId: a.credential_id, operation: a.operation,
      entityType: a.entity_type, entityEuid: a.entity_euid, changes: a.changes, requestId: a.request_id, idempotencyKey: a.idempotency_key,
    };
    const changed = a.changes && typeof a.changes === 'object' ? Object.keys(a.changes).join(',') : '';
    return {
      recordType: 'audit', entry, euid, name: a.entity_type, category: a.entity_type, type: a.entity_type, subtype: changed,
      status: a.operation, createdAt: at, modifiedAt: at, timestamp: at,
    };
  }
  // The page joins each scanned row to its own table in the same statement.
  throw new Error(`search: no payload for ${r.rt} ${r.euid}`);
}

async function run(db: Database, r: SearchRequest, types: RecordType[], page: { offset: number; limit: number; maxScan: number }) {
  const { sql, params } = buildSearchSql(r, types, page);
  const [row] = await db.query<SearchSqlRow>(sql, params);
  const counts = json(row.counts as JsonValue<Record<string, number | string>>);
  const recordType: SearchFacets['recordType'] = {};
  for (const t of types) recordType[t] = Number(counts[t] ?? 0);
  const categories = json(row.categories as JsonValue<Record<string, number | string>>);
  return {
    // What was scanned: each record type's matches, capped at max_scan.
    total: types.reduce((n, t) => n + Math.min(recordType[t] ?? 0, page.maxScan), 0),
    truncated: types.some((t) => (recordType[t] ?? 0) > page.maxScan),
    facets: { recordType, category: Object.fromEntries(Object.entries(categories).map(([k, v]) => [k, Number(v)])) },
    hits: json(row.items as JsonValue<ItemSqlRow[]>).map(toHit),
  };
}

const pagesOf = (total: number, size: number) => Math.max(1, Math.ceil(total / size));

/** A reversed created_dt range is read the right way round (Bloom). */
function normalized(r: SearchRequest): SearchRequest {
  const { createdDtStart: a, createdDtEnd: b } = r;
  return a && b && a > b ? { ...r, createdDtStart: b, createdDtEnd: a } : r;
}

export async function searchRecords(caller: SearchCaller, request: SearchRequest): Promise<SearchResult> {
  requirePermission(caller.actor, 'objects:read');
  const r = normalized(request);
  const types = searchableTypes(caller.actor, r.recordTypes);
  const out = await run(caller.db, r, types, { offset: (r.page - 1) * r.pageSize, limit: r.pageSize, maxScan: r.maxScan });
  return {
    query: r.query, page: r.page, pageSize: r.pageSize, total: out.total, totalPages: pagesOf(out.total, r.pageSize),
    sortBy: r.sortBy, sortOrder: r.sortOrder, truncated: out.truncated, facets: out.facets, hits: out.hits,
  };
}

/** Bloom pages exports 500 rows at a time; total_pages keeps that page size. */
export const EXPORT_PAGE_SIZE = 500;

/**
 * The first `maxRows` hits in one statement (Bloom scans each record type up to
 * max_export_rows for an export, ignoring the request's page and max_scan).
 * `truncated` also says when the export holds fewer hits than matched.
 */
export async function exportSearch(caller: SearchCaller, request: SearchRequest, maxRows: number): Promise<SearchResult> {
  requirePermission(caller.actor, 'objects:read');
  const r = normalized(request);
  const types = searchableTypes(caller.actor, r.recordTypes);
  const out = await run(caller.db, r, types, { offset: 0, limit: maxRows, maxScan: maxRows });
  return {
    query: r.query, page: 1, pageSize: out.hits.length, total: out.total, totalPages: pagesOf(out.total, EXPORT_PAGE_SIZE),
    sortBy: r.sortBy, sortOrder: r.sortOrder, truncated: out.truncated || out.hits.length < out.total, facets: out.facets, hits: out.hits,
  };
}
