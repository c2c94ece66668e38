// Bloom §1.5 /api/v1/lineages: request/response shapes only; linking, cycle and
// duplicate rules live in the lineage services GraphQL uses.
import { Router } from 'express';
import { z } from 'zod';
import type { RestDoor } from '../../src/http/app.js';
import { requirePermission } from '../../src/auth/authorize.js';
import { write } from '../../src/services/write.js';
import { linkLineage } from '../../src/services/lineage/linkLineage.js';
import { unlinkLineage } from '../../src/services/lineage/unlinkLineage.js';
import { listLineageEdges } from '../../src/services/lineage/listLineageEdges.js';
import { paging, queryBool } from './bodyFields.js';
import { parseBody } from './validation.js';

/** Bloom drops an empty filter (`?parent_euid=`); so do we. */
const filterEuid = z
  .string()
  .optional()
  .transform((s) => s?.trim() || undefined);

export const ListQuery = z.object({ parent_euid: filterEuid, child_euid: filterEuid, ...paging });

export const DeleteQuery = z.object({ hard_delete: queryBool });

export const CreateBody = z.object({
  parent_euid: z.string().trim().min(1),
  child_euid: z.string().trim().min(1),
  relationship_type: z.string().nullish(),
});

export function lineageRoutes(door: RestDoor): Router {
  const r = Router();
  const serviceContext = door.context;

  r.get(['/lineages', '/lineages/'], async (req, res) => {
    requirePermission(req.principal!, 'lineage:read');
    const q = parseBody(ListQuery, req.query, 'query');
    const { edges, total } = await listLineageEdges(
      serviceContext(req).db,
      { parentEuid: q.parent_euid, childEuid: q.child_euid },
      (q.page - 1) * q.page_size,
      q.page_size,
    );
    res.json({
      items: edges.map((e) => ({ euid: e.euid, parent_euid: e.parentEuid, child_euid: e.childEuid, relationship_type: e.relationshipType })),
      total, page: q.page, page_size: q.page_size,
    });
  });

  r.post(['/lineages', '/lineages/'], door.idempotent(CreateBody), async (req, res) => {
    requirePermission(req.principal!, 'lineage:write');
    const b = parseBody(CreateBody, req.body);
    const edge = await write(serviceContext(req), 'linkLineage', {
      parentEuid: b.parent_euid,
      childEuid: b.child_euid,
      // Bloom's None/"" → "generic"
      relationshipType: b.relationship_type || undefined,
    }, linkLineage);
    res.status(200).json({
      success: true, euid: edge.euid, parent_euid: edge.parentEuid, child_euid: edge.childEuid,
      relationship_type: edge.relationshipType, message: 'Lineage created successfully',
    });
  });

  r.delete('/lineages/:euid', door.idempotent(), async (req, res) => {
    requirePermission(req.principal!, 'lineage:write');
    // labgraph removes the edge (unlinkLineage): there is no soft-deleted edge, whatever hard_delete says.
    parseBody(DeleteQuery, req.query, 'query');
    const out = await write(serviceContext(req), 'unlinkLineage', { euid: String(req.params.euid) }, unlinkLineage);
    res.json({ success: true, euid: out.euid, message: 'Lineage permanently deleted' });
  });

  // Bloom serves only DELETE on a single lineage.
  r.all('/lineages/:euid', (_req, res) => {
    res.status(405).setHeader('Allow', 'DELETE').json({ detail: 'Method Not Allowed' });
  });

  return r;
}
