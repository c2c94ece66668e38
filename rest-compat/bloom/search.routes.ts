// Bloom §1.9 /api/v1/search/v2: query and export (JSON or TSV) over the one search
// service (src/services/search). Bloom's field names and shapes only.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { maxExportRows, searchFields, type SearchRequest } from '../../src/services/search/searchRequest.js';
import { exportSearch, searchRecords, type SearchHit, type SearchResult } from '../../src/services/search/searchRecords.js';
import type { RestDoor } from '../../src/http/app.js';
import { parseBody } from './validation.js';
import { bloomTemplateJsonAddl } from './templates.routes.js';

const F = searchFields;

/** Bloom's SearchRequest; every field optional. */
export const SearchRequestBody = z.object({
  query: F.query.describe('Case-insensitive substring of EUIDs, names, category/type/subtype, external ids and JSON; trimmed, cut at 256 characters'),
  record_types: F.recordTypes.describe('instance, template, lineage, audit (comma string or list); unknown values dropped; none = all'),
  categories: F.categories.describe('Comma string or list, case-insensitive'),
  type_names: F.typeNames.describe('Comma string or list, case-insensitive (not applied to lineage)'),
  subtype_names: F.subtypeNames.describe('Comma string or list, case-insensitive (not applied to lineage or audit)'),
  statuses: F.statuses.describe('Comma string or list; lineage: relationship types; audit: operations'),
  include_deleted: F.includeDeleted,
  json_filters: F.jsonFilters.describe("Conditions on the record's json_addl, e.g. {path: 'properties.patient_id', op: 'eq', value: 'P1'}"),
  search_mode: F.searchMode.describe('How json_filters combine: any (or) or all (and)'),
  created_dt_start: F.createdDtStart.describe('ISO date or date-time (naive = UTC); a reversed range is swapped'),
  created_dt_end: F.createdDtEnd.describe('Inclusive'),
  sort_by: F.sortBy,
  sort_order: F.sortOrder,
  page: F.page,
  page_size: F.pageSize,
  max_scan: F.maxScan.describe('Rows scanned per record type'),
});

/** Bloom's SearchExportRequest. */
export const SearchExportBody = z.object({
  search: SearchRequestBody,
  format: z.enum(['json', 'tsv']).default('json'),
  include_metadata: z.boolean().default(true),
  max_export_rows: maxExportRows,
});

const toRequest = (b: z.output<typeof SearchRequestBody>): SearchRequest => ({
  query: b.query,
  recordTypes: b.record_types,
  categories: b.categories,
  typeNames: b.type_names,
  subtypeNames: b.subtype_names,
  statuses: b.statuses,
  includeDeleted: b.include_deleted,
  jsonFilters: b.json_filters,
  searchMode: b.search_mode,
  createdDtStart: b.created_dt_start,
  createdDtEnd: b.created_dt_end,
  sortBy: b.sort_by,
  sortOrder: b.sort_order,
  page: b.page,
  pageSize: b.page_size,
  maxScan: b.max_scan,
});

/** Bloom's per-record-type metadata. */
function metadataOf(h: SearchHit): Record<string, unknown> {
  switch (h.recordType) {
    case 'instance':
      return { json_addl: { properties: h.object.properties } };
    case 'template':
      return { json_addl: bloomTemplateJsonAddl(h.template), json_addl_schema: h.template.schema, instance_prefix: h.template.prefix };
    case 'lineage':
      return {
        parent_instance_euid: h.edge.parentEuid, child_instance_euid: h.edge.childEuid,
        relationship_type: h.edge.relationshipType, json_addl: { properties: h.edge.properties },
      };
    case 'audit': {
      // One labgraph audit row covers every field a write changed: old/new are {field: value} maps.
      const changes = (h.entry.changes ?? {}) as Record<string, { old?: unknown; new?: unknown }>;
      const side = (k: 'old' | 'new') => JSON.stringify(Object.fromEntries(Object.entries(changes).map(([f, c]) => [f, c?.[k] ?? null])));
      return {
        rel_table_name: h.entry.entityType, column_name: h.subtype, rel_table_euid_fk: h.entry.entityEuid, changed_by: h.entry.actorId,
        old_value: side('old'), new_value: side('new'),
        json_addl: { changes, actor_kind: h.entry.actorKind, credential_id: h.entry.credentialId },
      };
    }
  }
}

function bloomItem(h: SearchHit, withMetadata = true) {
  return {
    record_type: h.recordType, euid: h.euid, name: h.name, category: h.category, type: h.type, subtype: h.subtype, status: h.status,
    created_dt: h.createdAt.toISOString(), modified_dt: h.modifiedAt.toISOString(), timestamp: h.timestamp.toISOString(),
    ...(withMetadata ? { metadata: metadataOf(h) } : {}),
  };
}

function bloomResult(r: SearchResult, withMetadata = true) {
  return {
    query: r.query, page: r.page, page_size: r.pageSize, total: r.total, total_pages: r.totalPages, sort_by: r.sortBy, sort_order: r.sortOrder,
    truncated: r.truncated, facets: { record_type: r.facets.recordType, category: r.facets.category },
    items: r.hits.map((h) => bloomItem(h, withMetadata)),
  };
}

/** Python's json.dumps(v, ensure_ascii=True): ", " and ": " separators, non-ASCII as \uXXXX. */
function pyJson(v: unknown): string {
  const ascii = (s: string) => s.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${ascii(JSON.stringify(k))}: ${pyJson(x)}`).join(', ')}}`;
  }
  return ascii(JSON.stringify(v));
}

/** One csv.writer(delimiter="\t") field: quoted only when it holds a tab, quote or line break. */
const tsvField = (s: string) => (/[\t"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export const TSV_HEADER = ['record_type', 'euid', 'name', 'category', 'type', 'subtype', 'status', 'created_dt', 'modified_dt', 'timestamp', 'metadata_json'];

function toTsv(r: SearchResult, withMetadata: boolean): string {
  const rows = [TSV_HEADER];
  for (const h of r.hits) {
    // Metadata is built only when it is exported.
    const i: Record<string, unknown> = bloomItem(h, withMetadata);
    rows.push(TSV_HEADER.map((col) => (col === 'metadata_json' ? (withMetadata ? pyJson(i.metadata) : '{}') : String(i[col] ?? ''))));
  }
  return rows.map((row) => `${row.map(tsvField).join('\t')}\r\n`).join('');
}

/**
 * bloom_search_v2_<query>_<YYYYmmdd_HHMMSS>: Bloom's name, with the query reduced
 * to filename-safe characters (a quote or non-Latin-1 character would break the header).
 */
function exportFilename(query: string, ext: string): string {
  const part = (query || 'search').trim().replace(/ /g, '_').slice(0, 40).replace(/[^A-Za-z0-9._-]/g, '_') || 'search';
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  return `bloom_search_v2_${part}_${stamp}.${ext}`;
}

const attach = (res: Response, filename: string) => res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);

export function searchRoutes(door: RestDoor): Router {
  const r = Router();

  r.post(['/search/v2/query', '/search/v2/query/'], async (req, res) => {
    const b = parseBody(SearchRequestBody, req.body);
    res.json(bloomResult(await searchRecords(door.context(req), toRequest(b))));
  });

  r.post(['/search/v2/export', '/search/v2/export/'], async (req, res) => {
    const b = parseBody(SearchExportBody, req.body);
    const out = await exportSearch(door.context(req), toRequest(b.search), b.max_export_rows);
    if (b.format === 'tsv') {
      attach(res, exportFilename(out.query, 'tsv'));
      res.type('text/tab-separated-values').send(toTsv(out, b.include_metadata));
      return;
    }
    attach(res, exportFilename(out.query, 'json'));
    res.type('application/json').send(JSON.stringify(bloomResult(out, b.include_metadata), null, 2));
  });

  return r;
}
