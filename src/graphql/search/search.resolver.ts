import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { parseInput } from '../../services/validate.js';
import { SearchInput as SearchInputSchema } from '../../services/search/searchRequest.js';
import { searchRecords, type SearchHit as Hit } from '../../services/search/searchRecords.js';
import { toObject } from '../objects/object.type.js';
import { Template } from '../templates/template.type.js';
import { LineageEdge } from '../lineage/lineage.type.js';
import { AuditEntry } from '../audit/audit.resolver.js';
import { SearchHit, SearchInput, SearchRecordType, SearchResult, SearchSortBy, SearchSortOrder } from './search.types.js';

const iso = (d: Date | null | undefined) => d?.toISOString();
const orUndefined = <T>(v: T | null | undefined): T | undefined => v ?? undefined;

function recordOf(h: Hit) {
  switch (h.recordType) {
    case 'instance':
      return toObject(h.object);
    case 'template':
      return Template.from(h.template);
    case 'lineage':
      return LineageEdge.from(h.edge);
    case 'audit':
      return Object.assign(new AuditEntry(), { ...h.entry, id: h.entry.euid });
  }
}

const toHit = (h: Hit): SearchHit =>
  Object.assign(new SearchHit(), {
    recordType: h.recordType as SearchRecordType, id: h.euid, euid: h.euid, name: h.name, category: h.category, type: h.type,
    subtype: h.subtype, status: h.status, createdAt: h.createdAt, modifiedAt: h.modifiedAt, timestamp: h.timestamp, record: recordOf(h),
  });

const facet = (counts: Record<string, number | undefined>) => Object.entries(counts).map(([value, count]) => ({ value, count: count ?? 0 }));

@Resolver()
export class SearchResolver {
  @Query(() => SearchResult, {
    description: 'Search instances, templates, lineage edges and audit entries (the REST /search/v2 search). Needs objects:read.',
  })
  async search(@Arg('input', () => SearchInput) input: SearchInput, @Ctx() ctx: RequestContext): Promise<SearchResult> {
    // GraphQL has already typed the enums and dates; the service schema applies the limits and normalisation.
    const request = parseInput(SearchInputSchema, {
      query: input.query,
      recordTypes: input.recordTypes,
      categories: input.categories,
      typeNames: input.typeNames,
      subtypeNames: input.subtypeNames,
      statuses: input.statuses,
      includeDeleted: orUndefined(input.includeDeleted),
      jsonFilters: input.jsonFilters?.map((f) => ({
        path: f.path, op: orUndefined(f.op), value: f.value, values: f.values, start: iso(f.start), end: iso(f.end),
      })),
      searchMode: orUndefined(input.searchMode),
      createdDtStart: iso(input.createdFrom),
      createdDtEnd: iso(input.createdTo),
      sortBy: orUndefined(input.sortBy),
      sortOrder: orUndefined(input.sortOrder),
      page: orUndefined(input.page),
      pageSize: orUndefined(input.pageSize),
      maxScan: orUndefined(input.maxScan),
    });
    const r = await searchRecords(ctx, request);
    return Object.assign(new SearchResult(), {
      query: r.query,
      hits: r.hits.map(toHit),
      total: r.total,
      truncated: r.truncated,
      facets: { recordType: facet(r.facets.recordType), category: facet(r.facets.category) },
      pageInfo: { page: r.page, pageSize: r.pageSize, totalPages: r.totalPages, hasNextPage: r.page < r.totalPages, hasPreviousPage: r.page > 1 },
      sortBy: r.sortBy as SearchSortBy,
      sortOrder: r.sortOrder as SearchSortOrder,
    });
  }
}
