// Bloom §1.2 /api/v1/objects: request/response shapes only; every rule lives in
// the shared services GraphQL uses.
import { Router } from 'express';
import { z } from 'zod';
import type { ObjectRow } from '../../src/db/prisma.js';
import { requirePermission } from '../../src/auth/authorize.js';
import { notFound } from '../../src/errors/index.js';
import { write } from '../../src/services/write.js';
import { createObject } from '../../src/services/objects/createObject.js';
import { updateObject } from '../../src/services/objects/updateObject.js';
import { deleteObject } from '../../src/services/objects/deleteObject.js';
import { findObjectByEuid, listObjectsByOffset } from '../../src/services/objects/readObjects.js';
import type { RestDoor } from '../../src/http/app.js';
import { parseBody } from './validation.js';
import { jsonAddl, propertiesOf } from './bodyFields.js';

export const CreateBody = z.object({
  name: z.string().min(1).max(500),
  type: z.string().min(1).transform((s) => s.toLowerCase()),
  subtype: z.string().min(1).transform((s) => s.toLowerCase()).optional(),
  category: z.string().default('instance'),
  json_addl: jsonAddl.optional(),
});

export const UpdateBody = z
  .object({ name: z.string().min(1).max(500).optional(), status: z.string().optional(), json_addl: jsonAddl.optional() })
  .refine((b) => b.name !== undefined || b.status !== undefined || b.json_addl !== undefined, { message: 'At least one field is required' });

export const ListQuery = z.object({
  type: z.string().optional(),
  subtype: z.string().optional(),
  status: z.string().optional(),
  name_contains: z.string().max(256).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(1000).default(50),
});

const toBloom = (o: ObjectRow) => ({
  euid: o.euid, name: o.name, type: o.type, subtype: o.subtype, status: o.status,
  json_addl: { properties: o.properties }, created_at: o.createdAt.toISOString(),
});

export function objectRoutes(door: RestDoor): Router {
  const r = Router();
  const serviceContext = door.context;

  r.get(['/objects', '/objects/'], async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const q = parseBody(ListQuery, req.query, 'query');
    const { rows, total } = await listObjectsByOffset(
      serviceContext(req).db,
      { type: q.type, subtype: q.subtype, status: q.status, nameContains: q.name_contains },
      (q.page - 1) * q.page_size,
      q.page_size,
    );
    res.json({
      items: rows.map((o) => ({ euid: o.euid, name: o.name, type: o.type, subtype: o.subtype, status: o.status })),
      total, page: q.page, page_size: q.page_size, pages: Math.ceil(total / q.page_size),
    });
  });

  r.get('/objects/:euid', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const row = await findObjectByEuid(serviceContext(req).db, req.params.euid);
    if (!row) throw notFound('Object', req.params.euid);
    res.json(toBloom(row));
  });

  r.post(['/objects', '/objects/'], door.idempotent(CreateBody), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const b = parseBody(CreateBody, req.body);
    const category = b.category === 'instance' || b.category === '' ? 'content' : b.category;
    const row = await write(serviceContext(req), 'createObject', {
      templateCode: `${category}/${b.type}/${b.subtype ?? 'generic'}/1.0`,
      name: b.name,
      properties: propertiesOf(b.json_addl) as never,
    }, createObject);
    res.status(200).json({ success: true, euid: row.euid, message: 'Object created successfully' });
  });

  r.put('/objects/:euid', door.idempotent(UpdateBody), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const b = parseBody(UpdateBody, req.body);
    const row = await write(serviceContext(req), 'updateObject', {
      euid: String(req.params.euid), name: b.name, status: b.status, properties: propertiesOf(b.json_addl) as never,
    }, updateObject);
    res.json({ success: true, euid: row.euid, message: 'Object updated successfully' });
  });

  r.delete('/objects/:euid', door.idempotent(), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const hard = req.query.hard_delete === 'true';
    const out = await write(serviceContext(req), 'deleteObject', { euid: String(req.params.euid), hard }, deleteObject);
    res.json({ success: true, euid: out.euid, message: hard ? 'Object hard deleted successfully' : 'Object soft deleted successfully' });
  });

  return r;
}
