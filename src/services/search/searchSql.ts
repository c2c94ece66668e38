// One parameterised SQL statement per search. Per record type: the matching rows
// (counted; the total is those counts capped at `max_scan`), the first `max_scan` of
// them in the requested order (scanned), then the page of the scanned union with its
// payload rows and the category facet, all aggregated to one row. Only the page travels to the service.
// User input only ever reaches the SQL as $n parameters; sort columns and
// directions come from fixed lists.
import type { JsonFilterT, RecordType, SearchRequest } from './searchRequest.js';
import { EUID_ALPHABET as ALPHABET, PREFIX, euidSequence } from '../../domain/euid.js';
import { containsPattern } from '../../db/likePattern.js';


class Params {
  readonly values: unknown[] = [];
  add(v: unknown, cast = ''): string {
    this.values.push(v);
    return `$${this.values.length}${cast}`;
  }
}

/** Columns every scanned row carries (one UNION ALL shape). */
interface Source {
  from: string;
  id: string;
  euid: string;
  name: string;
  category: string;
  ts: string;
  /** The record's json_addl as a jsonb expression (json_filters run against it). */
  doc: string;
  /** Text the free query matches (ILIKE). */
  text: string[];
  /** Extra free-query conditions over the same ILIKE pattern. */
  textExtra?: (pattern: string, query: string, p: Params) => string[];
  /** The EUID is computed: scanned rows carry it only when sorting by EUID. */
  lazyEuid?: boolean;
  /** The condition for a live (not soft-deleted) row. */
  live?: string;
  /** What categories / type_names / subtype_names / statuses compare with; a missing one is not applied. */
  filterOn: { category?: string; type?: string; subtype?: string; status?: string };
}

/**
 * The audit row's ADT EUID in SQL, exactly as formatEuid computes it: Crockford
 * base-32 of the id, then the Luhn mod-32 check over prefix + body. A correlated
 * scalar subquery, so it runs only for the EUID sort (the page's EUIDs are
 * formatted by the service).
 */
const AUDIT_EUID = `(
  SELECT '${PREFIX.audit}-' || b.body || substr('${ALPHABET}', ((32 - c.s % 32) % 32)::int + 1, 1)
  FROM (
    SELECT string_agg(substr('${ALPHABET}', ((a.id >> (5 * k)) & 31)::int + 1, 1), '' ORDER BY k DESC) AS body
    FROM generate_series(0, 12) k WHERE (a.id >> (5 * k)) > 0
  ) b
  CROSS JOIN LATERAL (
    SELECT sum(((f * i) / 32) + ((f * i) % 32)) AS s
    FROM (
      SELECT strpos('${ALPHABET}', ch) - 1 AS i, CASE WHEN n % 2 = 1 THEN 2 ELSE 1 END AS f
      FROM unnest(string_to_array(reverse('${PREFIX.audit}' || b.body), NULL)) WITH ORDINALITY AS u(ch, n)
    ) d
  ) c)`;

/**
 * The free text against audit EUIDs without computing one per row: a whole ADT
 * EUID is its row number; a piece of "ADT-" is in every one. (Other fragments of
 * an audit EUID do not match it.)
 */
function auditEuidMatch(query: string, p: Params): string[] {
  const q = query.toUpperCase();
  if (`${PREFIX.audit}-`.includes(q)) return ['true'];
  const seq = euidSequence(q, PREFIX.audit);
  return seq === null ? [] : [`a.id = ${p.add(seq.toString(), '::bigint')}`];
}

const SOURCES: Record<RecordType, Source> = {
  instance: {
    from: 'material_object o',
    id: 'o.id::bigint', euid: 'o.euid', name: 'o.name', category: 'o.category', ts: 'o.created_at',
    doc: `jsonb_build_object('properties', o.properties)`,
    // names, EUIDs, external ids (external_id, barcode, indexed references) and properties
    text: ['o.euid', 'o.name', 'o.category', 'o.type', 'o.subtype', 'o.properties::text', 'o.external_id', 'o.barcode'],
    textExtra: (pattern) => [`EXISTS (SELECT 1 FROM external_reference r WHERE r.object_id = o.id AND r.ref_value ILIKE ${pattern})`],
    live: 'o.deleted_at IS NULL',
    filterOn: { category: 'o.category', type: 'o.type', subtype: 'o.subtype', status: 'o.status' },
  },
  template: {
    from: 'template t',
    id: 't.id::bigint', euid: 't.euid', name: 't.name', category: 't.category', ts: 't.created_at',
    doc: `jsonb_build_object('properties', coalesce(t.defaults -> 'properties', '{}'::jsonb), 'description', coalesce(t.description, ''),
      'instance_prefix', t.prefix, 'property_schema', t.schema)
      || CASE WHEN t.defaults ? 'layout' THEN jsonb_build_object('layout', t.defaults -> 'layout') ELSE '{}'::jsonb END`,
    text: ['t.euid', 't.name', 't.category', 't.type', 't.subtype', 't.schema::text', 't.defaults::text', `coalesce(t.description, '')`],
    live: 't.deleted_at IS NULL',
    filterOn: { category: 't.category', type: 't.type', subtype: 't.subtype', status: `CASE WHEN t.hidden THEN 'hidden' ELSE 'active' END` },
  },
  lineage: {
    // An edge to a soft-deleted object counts as deleted with it.
    from: 'lineage_edge e JOIN material_object ep ON ep.id = e.parent_id JOIN material_object ec ON ec.id = e.child_id',
    id: 'e.id::bigint', euid: 'e.euid', name: `''`, category: `'lineage'`, ts: 'e.created_at',
    doc: `jsonb_build_object('properties', e.properties)`,
    text: ['e.euid', `'lineage'`, 'ep.type', 'ec.type', 'e.relationship_type', 'e.properties::text', 'ep.euid', 'ec.euid'],
    live: 'ep.deleted_at IS NULL AND ec.deleted_at IS NULL',
    // Bloom applies no type/subtype filter to lineages; their status is the relationship type.
    filterOn: { category: `'lineage'`, status: 'e.relationship_type' },
  },
  audit: {
    from: 'audit_log a',
    id: 'a.id', euid: AUDIT_EUID, name: 'a.entity_type', category: 'a.entity_type', ts: 'a.occurred_at',
    lazyEuid: true,
    doc: `jsonb_build_object('changes', a.changes, 'actor_kind', a.actor_kind, 'credential_id', a.credential_id)`,
    text: ['a.entity_type', 'a.entity_euid', 'a.operation', 'a.actor_id', 'a.changes::text'],
    textExtra: (_pattern, query, p) => auditEuidMatch(query, p),
    // Bloom: categories and type_names on the audited table, statuses on the operation.
    filterOn: { category: 'a.entity_type', type: 'a.entity_type', status: 'a.operation' },
  },
};

/** JSON scalars as jsonb_extract_path_text renders them (true → "true", 1 → "1"). */
const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const day = (d: Date) => d.toISOString().slice(0, 10);

function jsonCondition(doc: string, f: JsonFilterT, p: Params): string | null {
  const extracted = () => `jsonb_extract_path_text(${doc}, VARIADIC ${p.add(f.path, '::text[]')})`;
  switch (f.op) {
    case 'exists':
      return `${extracted()} IS NOT NULL`;
    case 'between': {
      if (!f.start && !f.end) return null;
      const e = extracted();
      // Dates compare as text (YYYY-MM-DD); the end day is included whole.
      return [`${e} <> ''`, ...(f.start ? [`${e} >= ${p.add(day(f.start))}`] : []), ...(f.end ? [`left(${e}, 10) <= ${p.add(day(f.end))}`] : [])].join(' AND ');
    }
    case 'contains': {
      const payload = f.path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), f.value ?? null);
      return `${doc} @> ${p.add(JSON.stringify(payload), '::jsonb')}`;
    }
    case 'in': {
      const values = f.values.length ? f.values : f.value === undefined || f.value === null ? [] : [f.value];
      return values.length ? `${extracted()} = ANY(${p.add(values.map(asText), '::text[]')})` : null;
    }
    case 'ilike':
      return f.value === undefined || f.value === null ? null : `${extracted()} ILIKE ${p.add(containsPattern(asText(f.value)))}`;
    case 'eq':
      if (f.value === undefined || f.value === null) return `${extracted()} IS NULL`;
      // objects and arrays compare as JSON (text renderings differ in spacing); scalars as text, like Bloom
      return typeof f.value === 'object'
        ? `jsonb_extract_path(${doc}, VARIADIC ${p.add(f.path, '::text[]')}) = ${p.add(JSON.stringify(f.value), '::jsonb')}`
        : `${extracted()} = ${p.add(asText(f.value))}`;
  }
}

function whereOf(s: Source, r: SearchRequest, p: Params): string[] {
  const w: string[] = [];
  if (!r.includeDeleted && s.live) w.push(s.live);
  const inList = (col: string | undefined, values: string[]) => {
    if (col && values.length) w.push(`lower(${col}) = ANY(${p.add(values, '::text[]')})`);
  };
  inList(s.filterOn.category, r.categories);
  inList(s.filterOn.type, r.typeNames);
  inList(s.filterOn.subtype, r.subtypeNames);
  inList(s.filterOn.status, r.statuses);
  if (r.createdDtStart) w.push(`${s.ts} >= ${p.add(r.createdDtStart.toISOString(), '::timestamptz')}`);
  if (r.createdDtEnd) w.push(`${s.ts} <= ${p.add(r.createdDtEnd.toISOString(), '::timestamptz')}`);
  if (r.query) {
    const pattern = p.add(containsPattern(r.query));
    w.push(`(${[...s.text.map((c) => `${c} ILIKE ${pattern}`), ...(s.textExtra?.(pattern, r.query, p) ?? [])].join(' OR ')})`);
  }
  const json = r.jsonFilters.map((f) => jsonCondition(s.doc, f, p)).filter((c): c is string => c !== null);
  if (json.length) w.push(`(${json.map((c) => `(${c})`).join(r.searchMode === 'all' ? ' AND ' : ' OR ')})`);
  return w;
}

/** ORDER BY over the scanned columns (rt, euid, name, ts); ties broken so pages never overlap. */
function orderBy(r: SearchRequest, prefix = ''): string {
  const dir = r.sortOrder === 'asc' ? 'ASC' : 'DESC';
  const c = (col: string) => `${prefix}${col}`;
  const euid = `${c('euid')} COLLATE "C" ${dir}`;
  const keys = {
    timestamp: [`${c('ts')} ${dir}`, euid, `${c('rt')} ${dir}`],
    euid: [euid, `${c('rt')} ${dir}`],
    name: [`${c('name')} COLLATE "C" ${dir}`, euid, `${c('rt')} ${dir}`],
    record_type: [`${c('rt')} ${dir}`, `${c('ts')} ${dir}`, euid],
  }[r.sortBy];
  // the row id last: audit rows scanned without their EUID still page deterministically
  return [...keys, `${c('id')} ${dir}`].join(', ');
}

export interface SearchSqlRow {
  counts: unknown;
  categories: unknown;
  items: unknown;
}

export function buildSearchSql(r: SearchRequest, types: RecordType[], page: { offset: number; limit: number; maxScan: number }) {
  const p = new Params();
  const ctes: string[] = [];
  for (const rt of types) {
    const s = SOURCES[rt];
    const where = whereOf(s, r, p);
    ctes.push(
      `m_${rt} AS (SELECT '${rt}'::text AS rt, ${s.id} AS id, ${s.lazyEuid && r.sortBy !== 'euid' ? 'NULL::text' : s.euid} AS euid, ${s.name} AS name, ${s.category} AS category, ${s.ts} AS ts
        FROM ${s.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''})`,
      // Bloom orders each record type by the sort column before cutting it at max_scan.
      `s_${rt} AS (SELECT * FROM m_${rt} ORDER BY ${orderBy(r)} LIMIT ${p.add(page.maxScan, '::int')})`,
    );
  }
  const scanned = types.length
    ? types.map((rt) => `SELECT * FROM s_${rt}`).join(' UNION ALL ')
    : `SELECT NULL::text AS rt, NULL::bigint AS id, NULL::text AS euid, NULL::text AS name, NULL::text AS category, NULL::timestamptz AS ts WHERE false`;
  ctes.push(
    `scanned AS (${scanned})`,
    `page AS (SELECT s.*, row_number() OVER (ORDER BY ${orderBy(r, 's.')}) AS pos FROM scanned s
      ORDER BY pos OFFSET ${p.add(page.offset, '::bigint')} LIMIT ${p.add(page.limit, '::int')})`,
  );
  const counts = types.length ? `json_build_object(${types.map((rt) => `'${rt}', (SELECT count(*) FROM m_${rt})`).join(', ')})` : `'{}'::json`;
  const sql = `WITH ${ctes.join(',\n')}
SELECT
  ${counts} AS counts,
  (SELECT coalesce(json_object_agg(category, n ORDER BY category COLLATE "C"), '{}'::json)
     FROM (SELECT category, count(*) AS n FROM scanned WHERE category <> '' GROUP BY category) g) AS categories,
  (SELECT coalesce(json_agg(json_build_object(
      'rt', pg.rt, 'euid', pg.euid,
      'o', CASE WHEN pg.rt = 'instance' THEN row_to_json(o) END,
      't', CASE WHEN pg.rt = 'template' THEN row_to_json(t) END,
      'e', CASE WHEN pg.rt = 'lineage' THEN json_build_object('euid', e.euid, 'parent', ep.euid, 'child', ec.euid,
             'type', e.relationship_type, 'properties', e.properties, 'created_at', e.created_at, 'parent_type', ep.type, 'child_type', ec.type) END,
      'a', CASE WHEN pg.rt = 'audit' THEN json_build_object('seq', a.id::text, 'occurred_at', a.occurred_at, 'actor_kind', a.actor_kind, 'actor_id', a.actor_id,
             'credential_id', a.credential_id, 'operation', a.operation, 'entity_type', a.entity_type, 'entity_euid', a.entity_euid,
             'changes', a.changes, 'request_id', a.request_id, 'idempotency_key', a.idempotency_key) END
    ) ORDER BY pg.pos), '[]'::json)
   FROM page pg
   LEFT JOIN material_object o ON pg.rt = 'instance' AND o.id = pg.id
   LEFT JOIN template t ON pg.rt = 'template' AND t.id = pg.id
   LEFT JOIN lineage_edge e ON pg.rt = 'lineage' AND e.id = pg.id
   LEFT JOIN material_object ep ON ep.id = e.parent_id
   LEFT JOIN material_object ec ON ec.id = e.child_id
   LEFT JOIN audit_log a ON pg.rt = 'audit' AND a.id = pg.id) AS items`;
  return { sql, params: p.values };
}
