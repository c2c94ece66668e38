// The neighbourhood graph (Bloom graph v1): an undirected breadth-first walk over
// lineage edges from one object, up to `depth` hops, in one recursive SQL
// statement. Set semantics over (node, depth) keep diamonds from multiplying
// rows; soft-deleted objects are neither returned nor walked through; templates
// are never nodes. An unknown or deleted start gives an empty graph.
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import type { ObjectRow } from '../../db/prisma.js';
import { parseInput } from '../validate.js';
import { objectFromSql, type ObjectSqlRow } from '../objects/objectFromSql.js';
import { edgeFromSql, json, type EdgeSqlRow, type JsonValue } from '../lineage/edgeFromSql.js';
import type { TraversalEdge } from '../lineage/traverseLineage.js';

export const GRAPH_MAX_DEPTH = 10;

export const graphQuery = z.object({
  euid: z.string(),
  depth: z.number().int().min(1).max(GRAPH_MAX_DEPTH).default(4),
});

export interface GraphNode extends ObjectRow {
  /** Hops from the start (0 for the start itself). */
  distance: number;
  /** Version of the node's template. */
  templateVersion: string;
}

export interface GraphResult {
  /** Sorted by EUID (byte order). */
  nodes: GraphNode[];
  /** Every edge the walk crossed, sorted by edge EUID (byte order). */
  edges: TraversalEdge[];
}

export const GRAPH_SQL = `
WITH RECURSIVE
start AS (SELECT id FROM material_object WHERE euid = $1 AND deleted_at IS NULL),
walk(id, depth) AS (
  SELECT id, 0 FROM start
  UNION
  SELECT n.id, w.depth + 1
  FROM walk w
  CROSS JOIN LATERAL (
    SELECT e.child_id AS id FROM lineage_edge e WHERE e.parent_id = w.id
    UNION ALL
    SELECT e.parent_id FROM lineage_edge e WHERE e.child_id = w.id
  ) n
  JOIN material_object o ON o.id = n.id AND o.deleted_at IS NULL
  WHERE w.depth < $2::int
),
reached AS (SELECT id, min(depth) AS distance FROM walk GROUP BY id),
crossed AS (
  -- an edge is crossed when one end was reached before the last hop and the other is live
  SELECT e.* FROM lineage_edge e
  JOIN reached p ON p.id = e.parent_id
  JOIN reached c ON c.id = e.child_id
  WHERE least(p.distance, c.distance) < $2::int
)
SELECT
  (SELECT coalesce(json_agg(json_build_object('o', row_to_json(o), 'distance', r.distance, 'version', t.version)
            ORDER BY o.euid COLLATE "C"), '[]'::json)
     FROM reached r JOIN material_object o ON o.id = r.id JOIN template t ON t.id = o.template_id) AS nodes,
  (SELECT coalesce(json_agg(json_build_object(
       'euid', e.euid, 'parent', p.euid, 'child', c.euid, 'type', e.relationship_type,
       'properties', e.properties, 'created_at', e.created_at) ORDER BY e.euid COLLATE "C"), '[]'::json)
     FROM crossed e JOIN material_object p ON p.id = e.parent_id JOIN material_object c ON c.id = e.child_id) AS edges
`;


export async function traverseGraph(db: Database, raw: { euid: string; depth?: number }): Promise<GraphResult> {
  const q = parseInput(graphQuery, raw);
  const [row] = await db.query<{
    nodes: JsonValue<{ o: ObjectSqlRow; distance: number; version: string }[]>;
    edges: JsonValue<EdgeSqlRow[]>;
  }>(GRAPH_SQL, [q.euid, q.depth]);
  return {
    nodes: json(row.nodes).map((n) => ({ ...objectFromSql(n.o), distance: n.distance, templateVersion: n.version })),
    edges: json(row.edges).map(edgeFromSql),
  };
}
