// GraphQL shapes of the search (src/services/search): input, hits with their full
// typed record, facets and page info.
import { Field, ID, InputType, Int, ObjectType, createUnionType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, JSONScalar } from '../common/scalars.js';
import { Container, Content, GenericObject } from '../objects/object.type.js';
import { Template } from '../templates/template.type.js';
import { LineageEdge } from '../lineage/lineage.type.js';
import { AuditEntry } from '../audit/audit.resolver.js';

export enum SearchRecordType {
  INSTANCE = 'instance',
  TEMPLATE = 'template',
  LINEAGE = 'lineage',
  AUDIT = 'audit',
}
registerEnumType(SearchRecordType, {
  name: 'SearchRecordType',
  description: 'What a hit is. LINEAGE needs lineage:read and AUDIT audit:read; without them those records are left out.',
});

export enum SearchSortBy {
  TIMESTAMP = 'timestamp',
  EUID = 'euid',
  NAME = 'name',
  RECORD_TYPE = 'record_type',
}
registerEnumType(SearchSortBy, { name: 'SearchSortBy' });

export enum SearchSortOrder {
  ASC = 'asc',
  DESC = 'desc',
}
registerEnumType(SearchSortOrder, { name: 'SearchSortOrder' });

export enum SearchMode {
  ANY = 'any',
  ALL = 'all',
}
registerEnumType(SearchMode, { name: 'SearchMode', description: 'How jsonFilters combine: ANY (or) or ALL (and).' });

export enum JsonFilterOp {
  EQ = 'eq',
  IN = 'in',
  ILIKE = 'ilike',
  BETWEEN = 'between',
  EXISTS = 'exists',
  CONTAINS = 'contains',
}
registerEnumType(JsonFilterOp, { name: 'JsonFilterOp' });

@InputType({ description: "A condition on a record's JSON (instances: { properties }; lineage: { properties }; templates: { properties, property_schema, … }; audit: { changes, … })." })
export class SearchJsonFilter {
  @Field(() => String, { description: 'Dot-delimited path, e.g. properties.patient_id.' }) path!: string;
  @Field(() => JsonFilterOp, { nullable: true, defaultValue: JsonFilterOp.EQ }) op?: JsonFilterOp;
  @Field(() => JSONScalar, { nullable: true, description: 'EQ (null: the path is absent), ILIKE (substring), CONTAINS (JSON containment).' })
  value?: unknown;
  @Field(() => [JSONScalar], { nullable: true, description: 'IN: any of these.' }) values?: unknown[];
  @Field(() => DateTimeScalar, { nullable: true, description: 'BETWEEN: from this day.' }) start?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'BETWEEN: to this day, inclusive.' }) end?: Date;
}

@InputType()
export class SearchInput {
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of EUIDs, names, category/type/subtype, external ids (externalId, barcode, references) and JSON; trimmed, at most 256 characters.' })
  query?: string;
  @Field(() => [SearchRecordType], { nullable: true, description: 'None = every type the caller may read.' }) recordTypes?: SearchRecordType[];
  @Field(() => [String], { nullable: true, description: 'Case-insensitive.' }) categories?: string[];
  @Field(() => [String], { nullable: true }) typeNames?: string[];
  @Field(() => [String], { nullable: true }) subtypeNames?: string[];
  @Field(() => [String], { nullable: true, description: 'Lineage: relationship types; audit: operations.' }) statuses?: string[];
  @Field(() => Boolean, { nullable: true, defaultValue: false }) includeDeleted?: boolean;
  @Field(() => [SearchJsonFilter], { nullable: true, description: 'At most 50.' }) jsonFilters?: SearchJsonFilter[];
  @Field(() => SearchMode, { nullable: true, defaultValue: SearchMode.ANY }) searchMode?: SearchMode;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Inclusive; a reversed range is swapped.' }) createdFrom?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Inclusive.' }) createdTo?: Date;
  @Field(() => SearchSortBy, { nullable: true, defaultValue: SearchSortBy.TIMESTAMP }) sortBy?: SearchSortBy;
  @Field(() => SearchSortOrder, { nullable: true, defaultValue: SearchSortOrder.DESC }) sortOrder?: SearchSortOrder;
  @Field(() => Int, { nullable: true, defaultValue: 1, description: '1-based.' }) page?: number;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: '1–500.' }) pageSize?: number;
  @Field(() => Int, { nullable: true, defaultValue: 5000, description: 'Rows scanned per record type, 100–20000.' }) maxScan?: number;
}

export const SearchRecord = createUnionType({
  name: 'SearchRecord',
  description: 'The record a hit stands for.',
  types: () => [Container, Content, GenericObject, Template, LineageEdge, AuditEntry] as const,
  resolveType: (v) =>
    v instanceof Container ? Container
    : v instanceof Content ? Content
    : v instanceof GenericObject ? GenericObject
    : v instanceof Template ? Template
    : v instanceof LineageEdge ? LineageEdge
    : AuditEntry,
});

@ObjectType()
export class SearchHit {
  @Field(() => SearchRecordType) recordType!: SearchRecordType;
  @Field(() => ID, { description: 'The EUID.' }) id!: string;
  @Field(() => ID) euid!: string;
  @Field(() => String) name!: string;
  @Field(() => String) category!: string;
  @Field(() => String, { description: 'Lineage: the parent type; audit: the entity type.' }) type!: string;
  @Field(() => String, { description: 'Lineage: the child type; audit: the changed fields.' }) subtype!: string;
  @Field(() => String, { description: 'Lineage: the relationship type; audit: the operation.' }) status!: string;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) modifiedAt!: Date;
  @Field(() => DateTimeScalar, { description: 'What TIMESTAMP sorts by.' }) timestamp!: Date;
  @Field(() => SearchRecord) record!: typeof SearchRecord;
}

@ObjectType()
export class FacetCount {
  @Field(() => String) value!: string;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class SearchFacets {
  @Field(() => [FacetCount], { description: 'Matches per record type searched (before the maxScan cut).' }) recordType!: FacetCount[];
  @Field(() => [FacetCount], { description: 'Scanned hits per category.' }) category!: FacetCount[];
}

@ObjectType()
export class SearchPageInfo {
  @Field(() => Int) page!: number;
  @Field(() => Int) pageSize!: number;
  @Field(() => Int, { description: 'At least 1.' }) totalPages!: number;
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
}

@ObjectType()
export class SearchResult {
  @Field(() => String, { description: 'The query as run (trimmed, capped).' }) query!: string;
  @Field(() => [SearchHit]) hits!: SearchHit[];
  @Field(() => Int, { description: 'Hits scanned (at most maxScan per record type): what the pages cover.' }) total!: number;
  @Field(() => Boolean, { description: 'Some record type matched more than maxScan rows.' }) truncated!: boolean;
  @Field(() => SearchFacets) facets!: SearchFacets;
  @Field(() => SearchPageInfo) pageInfo!: SearchPageInfo;
  @Field(() => SearchSortBy) sortBy!: SearchSortBy;
  @Field(() => SearchSortOrder) sortOrder!: SearchSortOrder;
}
