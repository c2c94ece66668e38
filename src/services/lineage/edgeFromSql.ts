// Rows that recursive traversals return as JSON (json_agg): one shape for lineage and graph.
import type { TraversalEdge } from './traverseLineage.js';

/** Drivers hand json columns back parsed or as text, depending on the driver. */
export type JsonValue<T> = T | string;
export const json = <T>(v: JsonValue<T>): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

export interface EdgeSqlRow {
  euid: string;
  parent: string;
  child: string;
  type: string;
  properties: unknown;
  created_at: string;
}

export const edgeFromSql = (e: EdgeSqlRow): TraversalEdge => ({
  euid: e.euid,
  parentEuid: e.parent,
  childEuid: e.child,
  relationshipType: e.type,
  properties: e.properties,
  createdAt: new Date(e.created_at),
});
