// OpenAPI for Bloom §1.10 /graph (v1), from the route's own request schemas.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { AUTH_ERRORS, isoTime, jsonObject } from '../openapi/bloomShapes.js';
import { DataQuery } from './graph.routes.js';

const Node = z.object({
  data: z.object({
    id: z.string(), euid: z.string(), name: z.string(), type: z.string(), obj_type: z.string(), category: z.string(), subtype: z.string(),
    version: z.string(), created_dt: isoTime, modified_dt: isoTime, color: z.string(),
    graph: jsonObject.optional().meta({ description: "The node's properties.graph, when set" }),
    external_refs: z.array(jsonObject).optional().meta({ description: 'From properties.external_payload.tapdb_graph[], when any' }),
  }),
});
const Edge = z.object({
  data: z.object({
    id: z.string(),
    source: z.string().meta({ description: 'The child (Bloom draws child → parent)' }),
    target: z.string().meta({ description: 'The parent' }),
    relationship_type: z.string(),
  }),
});
const GraphData = z.object({
  elements: z.object({ nodes: z.array(Node), edges: z.array(Edge) }),
  meta: z.object({ start_euid: z.string(), depth: z.number().int(), expected_fanout: z.array(jsonObject).optional() }),
});

const DetailRef = z.object({
  label: z.unknown().meta({ description: 'As stored, or system:relationship_type:root_euid' }),
  system: z.string(), root_euid: z.string(), tenant_id: z.string().nullable(),
  href: z.null().meta({ description: 'No Atlas bridge is configured: refs never link out' }),
  graph_expandable: z.boolean(), ref_index: z.number().int(), relationship_type: z.string(),
  reason: z.string().optional().meta({ description: 'Atlas refs: why they cannot be expanded' }),
});
const GraphObject = z.object({
  euid: z.string(),
  name: z.string().nullable(),
  type: z.enum(['instance', 'template', 'lineage']),
  obj_type: z.string(),
  category: z.string(),
  subtype: z.string(),
  version: z.string().nullable(),
  bstatus: z.string(),
  json_addl: jsonObject,
  created_dt: isoTime,
  modified_dt: isoTime,
  external_refs: z.array(DetailRef),
  relationship_type: z.string().optional().meta({ description: 'Lineage edges only' }),
  source: z.string().optional().meta({ description: 'Lineage edges only: the child' }),
  target: z.string().optional().meta({ description: 'Lineage edges only: the parent' }),
});

export const graphSpecs: RouteSpec[] = [
  spec({
    method: 'get', path: '/graph/data', tag: 'graph', summary: 'Undirected neighbourhood of an object, Cytoscape-shaped (unknown start: empty)',
    query: DataQuery, responses: { 200: { description: 'Nodes and edges', schema: GraphData } }, errors: [...AUTH_ERRORS, 422],
  }),
  spec({
    method: 'get', path: '/graph/object/:euid', tag: 'graph', summary: 'Any graph EUID: object, template or lineage edge',
    responses: { 200: { description: 'The graph object', schema: GraphObject } }, errors: [...AUTH_ERRORS, 404],
  }),
];
