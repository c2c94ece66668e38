// Bloom §1.3 /api/v1/containers: request/response shapes only; every rule lives in
// the shared services GraphQL uses (createObject, updateObject, deleteObject,
// placeInContainer, removeFromContainer).
import { Router } from 'express';
import { z } from 'zod';
import type { ObjectRow } from '../../src/db/prisma.js';
import type { RestDoor } from '../../src/http/app.js';
import { categoryList } from './categoryList.js';
import { requirePermission } from '../../src/auth/authorize.js';
import { AppError, notFound } from '../../src/errors/index.js';
import { allPositions } from '../../src/domain/wells.js';
import type { JsonObject } from '../../src/domain/properties.js';
import { write } from '../../src/services/write.js';
import { createObject } from '../../src/services/objects/createObject.js';
import { deleteObject } from '../../src/services/objects/deleteObject.js';
import { findObjectByEuid } from '../../src/services/objects/readObjects.js';
import { updateContainer } from '../../src/services/containers/updateContainer.js';
import { placeInContainer } from '../../src/services/containers/placeInContainer.js';
import { removeFromContainer } from '../../src/services/containers/removeFromContainer.js';
import { listContainerContents } from '../../src/services/containers/listContainerContents.js';
import { bulkCreateContainers } from '../../src/services/containers/bulkCreateContainers.js';
import { BloomValidationError, parseBody } from './validation.js';
import { addressedAs, bloomEuid, jsonAddl, optionalBloomEuid, paging, propertiesOf, queryBool } from './bodyFields.js';
import { bulkFile, bulkRow, parseTsv, type BulkRow } from './containerBulkFile.js';

export const ListQuery = z.object({
  container_type: z.string().optional(),
  subtype: z.string().optional(),
  status: z.string().optional(),
  ...paging,
});

export const GetQuery = z.object({ include_contents: queryBool });
export const DeleteQuery = z.object({ hard_delete: queryBool });

export const CreateBody = z.object({
  // Required by Bloom's schema; the template decides what is made (container_type is not checked against it).
  name: z.string().trim().min(1).max(500),
  container_type: z.string().min(1),
  template_euid: optionalBloomEuid,
  subtype: z.string().nullish(),
  barcode: z.string().max(100).nullish(),
  // Accepted as Bloom accepts them, and ignored as Bloom ignores them: the template fixes the layout.
  layout: z.record(z.string(), z.unknown()).nullish(),
  parent_euid: optionalBloomEuid,
  json_addl: jsonAddl.nullish(),
});

export const UpdateBody = z.object({
  name: z.string().trim().min(1).max(500).optional(),
  barcode: z.string().max(100).nullish(),
  status: z.string().max(50).nullish(),
  json_addl: jsonAddl.nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  // Accepted and ignored: delete with DELETE /containers/{euid}.
  is_deleted: z.boolean().nullish(),
});

export const PlaceBody = z.object({
  container_euid: bloomEuid,
  object_euid: bloomEuid,
  // Required for containers with wells, refused for those without (the service checks it against the layout).
  position: z.string().trim().max(8).nullish(),
});

/** The bulk file, as the idempotency fingerprint and the handler see it. */
const BulkBody = z.object({ file: z.string().optional() });

const toBloomContainer = (o: ObjectRow) => ({
  euid: o.euid, name: o.name, container_type: o.type, subtype: o.subtype, status: o.status,
  json_addl: { properties: o.properties },
});

export function containerRoutes(door: RestDoor): Router {
  const r = Router();
  const serviceContext = door.context;

  r.get(['/containers', '/containers/'], async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const q = parseBody(ListQuery, req.query, 'query');
    res.json(await categoryList(door, req, 'container', 'container_type', { ...q, type: q.container_type }));
  });

  r.post(['/containers', '/containers/'], door.idempotent(CreateBody), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const b = parseBody(CreateBody, req.body);
    if (!b.template_euid) throw new AppError('BAD_REQUEST', 'template_euid is required', 'template_euid_required');
    const row = await write(serviceContext(req), 'createObject', {
      templateEuid: b.template_euid,
      name: b.name,
      barcode: b.barcode ?? undefined,
      properties: propertiesOf(b.json_addl ?? undefined),
    }, createObject);
    res.status(200).json({ success: true, euid: row.euid, message: 'Container created successfully' });
  });

  r.post('/containers/bulk-create', ...bulkFile, door.idempotent(BulkBody), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const { file } = parseBody(BulkBody, req.body);
    if (file === undefined) throw new BloomValidationError([{ loc: ['body', 'file'], msg: 'Field required', type: 'missing' }]);
    const parsed = parseTsv(file).map((t) => bulkRow(t.row, t.cells));
    const rows = parsed.filter((p): p is BulkRow => !('error' in p));
    const refused = parsed.filter((p): p is { row: number; error: string } => 'error' in p);
    const done = rows.length
      ? await write(serviceContext(req), 'bulkCreateContainers', { rows }, bulkCreateContainers)
      : { created: [], errors: [] };
    const errors = [...refused, ...done.errors].sort((a, b) => a.row - b.row);
    res.json({
      success: true,
      total_rows: parsed.length,
      created_count: done.created.length,
      error_count: errors.length,
      created: done.created.map((c) => ({ row: c.row, container_euid: c.containerEuid, content_euid: c.contentEuid })),
      errors,
    });
  });

  r.get('/containers/:euid', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const q = parseBody(GetQuery, req.query, 'query');
    const db = serviceContext(req).db;
    const row = await findObjectByEuid(db, req.params.euid);
    if (!row) throw notFound('Container', req.params.euid);
    if (!q.include_contents) return void res.json(toBloomContainer(row));
    const contents = await listContainerContents(db, row.id);
    res.json({
      ...toBloomContainer(row),
      contents: contents.map((c) => ({ euid: c.content.euid, name: c.content.name, type: c.content.type, position: c.position })),
    });
  });

  r.put('/containers/:euid', door.idempotent(UpdateBody), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const b = parseBody(UpdateBody, req.body);
    const euid = String(req.params.euid);
    const changes = {
      name: b.name,
      status: b.status ?? undefined,
      barcode: b.barcode ?? undefined,
      properties: propertiesOf(b.json_addl ?? undefined),
      metadata: (b.metadata ?? undefined) as JsonObject | undefined,
    };
    if (Object.values(changes).every((v) => v === undefined)) {
      // Bloom's `{}` is a no-op: nothing to write, but the container must exist.
      if (!(await findObjectByEuid(serviceContext(req).db, euid))) throw notFound('Container', euid);
      return void res.json({ success: true, euid, message: 'Container updated successfully' });
    }
    const row = await write(serviceContext(req), 'updateObject', { euid, ...changes }, updateContainer);
    res.json({ success: true, euid: row.euid, message: 'Container updated successfully' });
  });

  r.delete('/containers/:euid', door.idempotent(), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const { hard_delete: hard } = parseBody(DeleteQuery, req.query, 'query');
    const euid = String(req.params.euid);
    const out = await addressedAs('Container', euid, write(serviceContext(req), 'deleteObject', { euid, hard }, deleteObject));
    res.json({ success: true, euid: out.euid, message: out.hard ? 'Container permanently deleted' : 'Container soft deleted' });
  });

  r.post('/containers/:euid/contents', door.idempotent(PlaceBody), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const b = parseBody(PlaceBody, req.body);
    // As in Bloom, the path names the container; the body's container_euid is validated, not used.
    await write(serviceContext(req), 'placeInContainer', {
      containerEuid: String(req.params.euid),
      contentEuid: b.object_euid,
      position: b.position || undefined,
    }, placeInContainer);
    res.json({ success: true, message: 'Content added to container' });
  });

  r.delete('/containers/:euid/contents/:content', door.idempotent(), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const containerEuid = String(req.params.euid);
    const contentEuid = String(req.params.content);
    try {
      await write(serviceContext(req), 'removeFromContainer', { containerEuid, contentEuid }, removeFromContainer);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND' && err.message.startsWith('Placement not found:')) {
        throw new AppError('NOT_FOUND', `Content ${contentEuid} not found in container`, 'content_not_in_container');
      }
      throw err;
    }
    res.json({ success: true, message: 'Content removed from container' });
  });

  r.get('/containers/:euid/layout', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const db = serviceContext(req).db;
    const row = await findObjectByEuid(db, req.params.euid);
    if (!row) throw notFound('Container', req.params.euid);
    // labgraph's wells are positions of the container's layout, not objects: no EUID of their own.
    const layout: Record<string, { euid: null; name: string; status: string; contents: { euid: string; name: string; type: string }[] }> = {};
    if (row.layoutRows && row.layoutColumns) {
      for (const position of allPositions({ rows: row.layoutRows, columns: row.layoutColumns })) {
        layout[position] = { euid: null, name: position, status: row.status, contents: [] };
      }
      for (const c of await listContainerContents(db, row.id)) {
        if (c.position && layout[c.position]) layout[c.position].contents.push({ euid: c.content.euid, name: c.content.name, type: c.content.type });
      }
    }
    res.json({ container_euid: row.euid, container_type: row.type, layout, well_count: Object.keys(layout).length });
  });

  return r;
}
