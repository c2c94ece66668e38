// Bloom §1.10 /api/v1/graph (v1): the Cytoscape-shaped neighbourhood of an object
// (one recursive SQL in src/services/graph/traverseGraph.ts) and the detail of any
// graph EUID. Shapes only.
import { Router } from 'express';
import { z } from 'zod';
import type { ObjectRow } from '../../src/db/prisma.js';
import { isJsonObject, type JsonObject } from '../../src/domain/properties.js';
import { requirePermission } from '../../src/auth/authorize.js';
import { notFound } from '../../src/errors/index.js';
import { GRAPH_MAX_DEPTH, traverseGraph } from '../../src/services/graph/traverseGraph.js';
import { findGraphObject, type GraphObject } from '../../src/services/graph/findGraphObject.js';
import type { RestDoor } from '../../src/http/app.js';
import { parseBody } from './validation.js';
import { bloomTemplateJsonAddl } from './templates.routes.js';

/** Bloom's default start when none is given: an EUID that never exists, so the graph is empty. */
const DEFAULT_START = 'AY1';

export const DataQuery = z.object({
  start_euid: z.string().optional(),
  depth: z.coerce.number().int().min(1).max(GRAPH_MAX_DEPTH).default(4),
});

const CATEGORY_COLORS: Record<string, string> = {
  workflow: '#00FF7F', workflow_step: '#ADFF2F', container: '#8B00FF', content: '#00BFFF', equipment: '#FF4500',
  data: '#FFD700', actor: '#FF69B4', action: '#FF8C00', health_event: '#DC143C', file: '#00FF00',
  subject: '#9370DB', object_set: '#FF6347', generic: '#FF1493',
};
const SUBTYPE_COLORS: Record<string, string> = { well: '#70658C', file_set: '#228080' };

const nodeColor = (o: ObjectRow) => SUBTYPE_COLORS[o.type] ?? SUBTYPE_COLORS[o.subtype] ?? CATEGORY_COLORS[o.category] ?? '#888888';

const asObject = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const clean = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim());

/** Bloom's explicit cross-system refs: `properties.external_payload.tapdb_graph[]`, complete and de-duplicated. */
function explicitRefs(props: JsonObject): JsonObject[] {
  const raw = asObject(props.external_payload).tapdb_graph;
  const refs: JsonObject[] = [];
  const seen = new Set<string>();
  for (const entry of Array.isArray(raw) ? raw : []) {
    const row = asObject(entry);
    const system = clean(row.system);
    const rootEuid = clean(row.root_euid) || clean(row.target_euid);
    const relationshipType = clean(row.relationship_type);
    if (!system || !rootEuid || !relationshipType) continue;
    const tenantId = clean(row.tenant_id);
    const key = JSON.stringify([system, rootEuid, relationshipType, tenantId]);
    if (seen.has(key)) continue;
    seen.add(key);
    const ref: JsonObject = {
      ...row, system, root_euid: rootEuid, target_euid: clean(row.target_euid) || rootEuid,
      relationship_type: relationshipType, graph_expandable: row.graph_expandable === undefined ? true : Boolean(row.graph_expandable),
    };
    if (tenantId) ref.tenant_id = tenantId;
    if (!clean(ref.label)) ref.label = `${system}:${relationshipType}:${rootEuid}`;
    ref.ref_index = refs.length;
    refs.push(ref);
  }
  return refs;
}

/**
 * The detail view of an instance's refs. No Atlas bridge is configured here, so
 * no ref links out (`href` null) and none is expandable; Atlas refs say why.
 */
function detailRefs(props: JsonObject): JsonObject[] {
  return explicitRefs(props).map((ref, i) => {
    const tenantId = clean(ref.tenant_id) || null;
    const out: JsonObject = {
      label: ref.label, system: ref.system, root_euid: ref.root_euid, tenant_id: tenantId, href: null,
      graph_expandable: false, ref_index: i, relationship_type: ref.relationship_type,
    };
    if (ref.system === 'atlas') {
      out.reason = `Missing Atlas graph metadata: ${[...(tenantId ? [] : ['atlas_tenant_id']), 'atlas.base_url', 'atlas.token'].join(', ')}`;
    }
    return out;
  });
}

function nodeData(o: ObjectRow & { templateVersion: string }): JsonObject {
  const props = asObject(o.properties);
  const graph = asObject(props.graph);
  const refs = explicitRefs(props);
  return {
    id: o.euid, euid: o.euid, name: o.name || o.euid, type: o.type, obj_type: o.type,
    category: o.category, subtype: o.subtype, version: o.templateVersion,
    created_dt: o.createdAt.toISOString(), modified_dt: o.updatedAt.toISOString(), color: nodeColor(o),
    ...(Object.keys(graph).length ? { graph } : {}),
    ...(refs.length ? { external_refs: refs } : {}),
  };
}

function graphObjectPayload(g: GraphObject): JsonObject {
  switch (g.kind) {
    case 'instance': {
      const o = g.object;
      return {
        euid: o.euid, name: o.name, type: 'instance', obj_type: o.type, category: o.category, subtype: o.subtype,
        version: g.templateVersion, bstatus: o.status, json_addl: { properties: o.properties },
        created_dt: o.createdAt.toISOString(), modified_dt: o.updatedAt.toISOString(),
        external_refs: detailRefs(asObject(o.properties)),
      };
    }
    case 'template': {
      const t = g.template;
      return {
        euid: t.euid, name: t.name, type: 'template', obj_type: t.type, category: t.category, subtype: t.subtype,
        version: t.version, bstatus: t.hidden ? 'hidden' : 'active', json_addl: bloomTemplateJsonAddl(t),
        created_dt: t.createdAt.toISOString(), modified_dt: t.createdAt.toISOString(), external_refs: [],
      };
    }
    case 'lineage': {
      const e = g.edge;
      return {
        euid: e.euid, name: null, type: 'lineage', obj_type: 'lineage', category: 'lineage', subtype: e.relationshipType,
        version: null, bstatus: 'active', json_addl: { properties: e.properties },
        created_dt: e.createdAt.toISOString(), modified_dt: e.createdAt.toISOString(), external_refs: [],
        relationship_type: e.relationshipType, source: g.childEuid, target: g.parentEuid,
      };
    }
  }
}

export function graphRoutes(door: RestDoor): Router {
  const r = Router();

  r.get('/graph/data', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    requirePermission(req.principal!, 'lineage:read');
    const q = parseBody(DataQuery, req.query, 'query');
    const start = q.start_euid?.trim() || DEFAULT_START;
    const g = await traverseGraph(door.context(req).db, { euid: start, depth: q.depth });
    const nodes = g.nodes.map((n) => ({ data: nodeData(n) }));
    const expectedFanout = nodes.flatMap(({ data }) => {
      const entries = asObject(data.graph).expected_fanout;
      return (Array.isArray(entries) ? entries : []).filter(isJsonObject).filter((e) => Object.keys(e).length)
        .map((e) => ({ euid: data.euid, system: 'bloom', ...e }));
    });
    res.json({
      elements: {
        nodes,
        // Cytoscape direction as Bloom draws it: source = child, target = parent.
        edges: g.edges.map((e) => ({ data: { id: e.euid, source: e.childEuid, target: e.parentEuid, relationship_type: e.relationshipType || 'generic' } })),
      },
      meta: { start_euid: start, depth: q.depth, ...(expectedFanout.length ? { expected_fanout: expectedFanout } : {}) },
    });
  });

  r.get('/graph/object/:euid', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const g = await findGraphObject(door.context(req).db, req.params.euid);
    if (!g) throw notFound('Object', req.params.euid);
    res.json(graphObjectPayload(g));
  });

  return r;
}
