// OpenAPI for Bloom §1.9 /api/v1/search/v2: request bodies are the routes' own zod
// schemas; the response schemas below describe the bodies exactly (objects are
// closed in the published document).
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { RECORD_TYPES, SORT_BY, SORT_ORDER } from '../../src/services/search/searchRequest.js';
import { SearchExportBody, SearchRequestBody, TSV_HEADER } from './search.routes.js';

const jsonAddl = z.record(z.string(), z.unknown());
const counts = z.record(z.string(), z.number().int().min(0));

const Metadata = z.union([
  z.object({ json_addl: jsonAddl }).describe('instance'),
  z.object({ json_addl: jsonAddl, json_addl_schema: jsonAddl, instance_prefix: z.string() }).describe('template'),
  z.object({ parent_instance_euid: z.string(), child_instance_euid: z.string(), relationship_type: z.string(), json_addl: jsonAddl }).describe('lineage'),
  z.object({
    rel_table_name: z.string(), column_name: z.string(), rel_table_euid_fk: z.string(), changed_by: z.string(),
    old_value: z.string(), new_value: z.string(), json_addl: jsonAddl,
  }).describe('audit: old_value/new_value are JSON text of {field: value}'),
]);

const item = {
  record_type: z.enum(RECORD_TYPES),
  euid: z.string(),
  name: z.string(),
  category: z.string(),
  type: z.string().describe('lineage: parent type; audit: audited entity type'),
  subtype: z.string().describe('lineage: child type; audit: changed fields, comma-separated'),
  status: z.string().describe('lineage: relationship type; audit: operation'),
  created_dt: z.string(),
  modified_dt: z.string(),
  timestamp: z.string(),
};

const result = {
  query: z.string(),
  page: z.number().int().min(1),
  page_size: z.number().int().min(0),
  total: z.number().int().min(0),
  total_pages: z.number().int().min(1),
  sort_by: z.enum(SORT_BY),
  sort_order: z.enum(SORT_ORDER),
  truncated: z.boolean(),
  facets: z.object({ record_type: counts, category: counts }),
};

export const SearchQueryResponse = z.object({ ...result, items: z.array(z.object({ ...item, metadata: Metadata })) });
/** include_metadata=false drops each item's metadata. */
export const SearchExportResponse = z.object({ ...result, items: z.array(z.object({ ...item, metadata: Metadata.optional() })) });

const errors = [401, 403, 422];

export const searchSpecs: RouteSpec[] = [
  spec({
    method: 'post',
    path: '/search/v2/query',
    tag: 'search',
    summary: 'Search instances, templates, lineage edges and audit entries',
    description:
      'Free text (ILIKE over EUIDs, names, category/type/subtype, external ids and JSON), filters, json_filters, sorting and paging. ' +
      'Unknown record types are dropped; so are lineage without lineage:read and audit without audit:read. ' +
      '`total` counts the scanned hits (at most max_scan per record type); `truncated` says a record type matched more.',
    body: SearchRequestBody,
    responses: { 200: { description: 'One page of hits with facets', schema: SearchQueryResponse } },
    errors,
  }),
  spec({
    method: 'post',
    path: '/search/v2/export',
    tag: 'search',
    summary: 'Export search hits as a JSON or TSV attachment',
    description:
      'The first max_export_rows hits in the search order, as `Content-Disposition: attachment; filename="bloom_search_v2_<query>_<YYYYmmdd_HHMMSS>.<json|tsv>"`. ' +
      `TSV columns: ${TSV_HEADER.join(', ')}.`,
    body: SearchExportBody,
    responses: {
      200: {
        description: 'The export (format json or tsv)',
        schema: SearchExportResponse,
        alternatives: [{ contentType: 'text/tab-separated-values', schema: z.string() }],
      },
    },
    errors,
  }),
];
