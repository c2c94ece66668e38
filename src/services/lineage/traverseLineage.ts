// Lineage traversal is one recursive SQL statement: set semantics over (node, depth)
// so diamonds do not multiply rows, depth-bounded, soft-deleted objects neither
// returned nor walked through.
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import type { ObjectRow } from '../../db/prisma.js';
import { notFound } from '../../errors/index.js';
import { RELATIONSHIP_TYPE_RE, type LineageDirection } from '../../domain/lineageRules.js';
import { parseInput } from '../validate.js';
import { objectFromSql, type ObjectSqlRow } from '../objects/objectFromSql.js';
import { edgeFromSql, json, type EdgeSqlRow, type JsonValue } from './edgeFromSql.js';

export interface TraversalEdge {
  euid: string;
  parentEuid: string;
  childEuid: string;
  relationshipType: string;
  properties: unknown;
  createdAt: Date;
}

export interface LineageResult {
  root: ObjectRow;
  nodes: (ObjectRow & { distance: number })[];
  edges: TraversalEdge[];
}

export const lineageQuery = (maxDepth: number) =>
  z.object({
    euid: z.string().min(1),
    direction: z.enum(['ANCESTORS', 'DESCENDANTS', 'BOTH']).default('BOTH'),
    depth: z.number().int().min(1).max(maxDepth).default(3),
    relationshipTypes: z.array(z.string().regex(RELATIONSHIP_TYPE_RE)).max(50).nullish(),
  });

export const LINEAGE_SQL = `
WITH RECURSIVE
root AS (SELECT id FROM material_object WHERE euid = $1 AND deleted_at IS NULL),
down(id, depth) AS (
  SELECT id, 0 FROM root WHERE $2::boolean
  UNION
  SELECT e.child_id, d.depth + 1
  FROM down d
  JOIN lineage_edge e ON e.parent_id = d.id
  JOIN material_object o ON o.id = e.child_id AND o.deleted_at IS NULL
  WHERE d.depth < $4::int AND ($5::text[] IS NULL OR e.relationship_type = ANY($5::text[]))
),
up(id, depth) AS (
  SELECT id, 0 FROM root WHERE $3::boolean
  UNION
  SELECT e.parent_id, u.depth + 1
  FROM up u
  JOIN lineage_edge e ON e.child_id = u.id
  JOIN material_object o ON o.id = e.parent_id AND o.deleted_at IS NULL
  WHERE u.depth < $4::int AND ($5::text[] IS NULL OR e.relationship_type = ANY($5::text[]))
),
reached AS (
  -- shortest path on each side: a DAG node is never both ancestor and descendant
  SELECT id, min(depth) AS distance FROM down GROUP BY id
  UNION ALL
  SELECT id, -min(depth) FROM up WHERE id NOT IN (SELECT id FROM down) GROUP BY id
),
edges AS (
  SELECT e.* FROM lineage_edge e
  WHERE e.parent_id IN (SELECT id FROM down WHERE depth < $4::int)
    AND e.child_id IN (SELECT id FROM down)
    AND ($5::text[] IS NULL OR e.relationship_type = ANY($5::text[]))
  UNION
  SELECT e.* FROM lineage_edge e
  WHERE e.child_id IN (SELECT id FROM up WHERE depth < $4::int)
    AND e.parent_id IN (SELECT id FROM up)
    AND ($5::text[] IS NULL OR e.relationship_type = ANY($5::text[]))
)
SELECT
  (SELECT row_to_json(o) FROM material_object o WHERE o.id = (SELECT id FROM root)) AS root,
  (SELECT coalesce(json_agg(json_build_object('o', row_to_json(o), 'distance', r.distance) ORDER BY o.id), '[]'::json)
     FROM reached r JOIN material_object o ON o.id = r.id WHERE o.id <> (SELECT id FROM root)) AS nodes,
  (SELECT coalesce(json_agg(json_build_object(
       'euid', e.euid, 'parent', p.euid, 'child', c.euid, 'type', e.relationship_type,
       'properties', e.properties, 'created_at', e.created_at) ORDER BY e.id), '[]'::json)
     FROM edges e JOIN material_object p ON p.id = e.parent_id JOIN material_object c ON c.id = e.child_id) AS edges
`;


// One input schema per depth limit (the limit is configuration), not one per request.
const querySchemas = new Map<number, ReturnType<typeof lineageQuery>>();
const querySchema = (maxDepth: number) => {
  let q = querySchemas.get(maxDepth);
  if (!q) querySchemas.set(maxDepth, (q = lineageQuery(maxDepth)));
  return q;
};

export async function traverseLineage(
  db: Database,
  raw: { euid: string; direction?: LineageDirection; depth?: number; relationshipTypes?: string[] | null },
  maxDepth: number,
): Promise<LineageResult> {
  const q = parseInput(querySchema(maxDepth), raw);
  const [row] = await db.query<{
    root: JsonValue<ObjectSqlRow> | null;
    nodes: JsonValue<{ o: ObjectSqlRow; distance: number }[]>;
    edges: JsonValue<EdgeSqlRow[]>;
  }>(LINEAGE_SQL, [
    q.euid,
    q.direction !== 'ANCESTORS',
    q.direction !== 'DESCENDANTS',
    q.depth,
    q.relationshipTypes?.length ? q.relationshipTypes : null,
  ], { prepare: true });
  if (!row?.root) throw notFound('Object', q.euid);
  return {
    root: objectFromSql(json(row.root)),
    // The mapped row itself carries the distance: no second copy per node.
    nodes: json(row.nodes).map((n) => Object.assign(objectFromSql(n.o), { distance: n.distance })),
    edges: json(row.edges).map(edgeFromSql),
  };
}
