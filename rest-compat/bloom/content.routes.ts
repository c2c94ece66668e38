// Bloom §1.4 /api/v1/content (samples, specimens, reagents): request/response
// shapes only; every rule lives in the shared services GraphQL uses.
import { Router } from 'express';
import { z } from 'zod';
import type { ObjectRow } from '../../src/db/prisma.js';
import type { RestDoor } from '../../src/http/app.js';
import { categoryList } from './categoryList.js';
import type { JsonObject } from '../../src/domain/properties.js';
import { requirePermission } from '../../src/auth/authorize.js';
import { AppError, notFound } from '../../src/errors/index.js';
import { write } from '../../src/services/write.js';
import { createObject } from '../../src/services/objects/createObject.js';
import { updateObject } from '../../src/services/objects/updateObject.js';
import { deleteObject } from '../../src/services/objects/deleteObject.js';
import { findObjectByEuid } from '../../src/services/objects/readObjects.js';
import { addressedAs, jsonAddl, optionalBloomEuid, paging, propertiesOf, queryBool } from './bodyFields.js';
import { parseBody } from './validation.js';

export const ListQuery = z.object({
  content_type: z.string().optional(),
  subtype: z.string().optional(),
  status: z.string().optional(),
  ...paging,
});

export const DeleteQuery = z.object({ hard_delete: queryBool });

/** Bloom's scientific fields, stored as the properties of the same names (the templates declare them, ≥ 0). */
const measures = {
  volume_ul: z.number().min(0).nullish(),
  concentration_ng_ul: z.number().min(0).nullish(),
  mass_ng: z.number().min(0).nullish(),
};
type Measures = { [K in keyof typeof measures]?: number | null };

const base = {
  name: z.string().trim().min(1).max(500),
  template_euid: optionalBloomEuid,
  subtype: z.string().nullish(),
  barcode: z.string().max(100).nullish(),
  json_addl: jsonAddl.nullish(),
  ...measures,
};

// Per-kind fields Bloom accepts and does not store (the template decides what is made).
export const SampleBody = z.object({
  ...base,
  content_type: z.string().nullish(),
  specimen_euid: optionalBloomEuid,
  container_euid: optionalBloomEuid,
  container_position: z.string().nullish(),
  sample_type: z.string().nullish(),
  extraction_method: z.string().nullish(),
  quality_score: z.number().min(0).max(100).nullish(),
});
export const SpecimenBody = z.object({
  ...base,
  content_type: z.string().nullish(),
  specimen_type: z.string().min(1),
  collection_date: z.string().nullish(),
  collected_by: z.string().max(200).nullish(),
  source_id: z.string().max(100).nullish(),
  subject_id: z.string().max(100).nullish(),
});
export const ReagentBody = z.object({
  ...base,
  content_type: z.string().nullish(),
  reagent_type: z.string().min(1),
  lot_number: z.string().max(100).nullish(),
  expiration_date: z.string().nullish(),
  manufacturer: z.string().max(200).nullish(),
  catalog_number: z.string().max(100).nullish(),
  storage_conditions: z.string().nullish(),
});

export const UpdateBody = z.object({
  name: z.string().trim().min(1).max(500).optional(),
  status: z.string().max(50).nullish(),
  json_addl: jsonAddl.nullish(),
  ...measures,
  // Accepted and ignored: delete with DELETE /content/{euid}.
  is_deleted: z.boolean().nullish(),
});

/** json_addl's properties plus the measures given; undefined when there is nothing to set. */
function propertiesFrom(addl: Record<string, unknown> | null | undefined, m: Measures): JsonObject | undefined {
  const out: JsonObject = { ...(propertiesOf(addl ?? undefined) ?? {}) };
  for (const k of Object.keys(measures) as (keyof Measures)[]) {
    const v = m[k];
    if (v !== undefined && v !== null) out[k] = v;
  }
  return Object.keys(out).length || addl ? out : undefined;
}

const toBloomContent = (o: ObjectRow) => ({
  euid: o.euid, name: o.name, content_type: o.type, subtype: o.subtype, status: o.status,
  json_addl: { properties: o.properties },
});

const KINDS = [
  { path: 'samples', schema: SampleBody, label: 'Sample' },
  { path: 'specimens', schema: SpecimenBody, label: 'Specimen' },
  { path: 'reagents', schema: ReagentBody, label: 'Reagent' },
] as const;

export function contentRoutes(door: RestDoor): Router {
  const r = Router();
  const serviceContext = door.context;

  r.get(['/content', '/content/'], async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const q = parseBody(ListQuery, req.query, 'query');
    res.json(await categoryList(door, req, 'content', 'content_type', { ...q, type: q.content_type }));
  });

  for (const kind of KINDS) {
    r.post(`/content/${kind.path}`, door.idempotent(kind.schema), async (req, res) => {
      requirePermission(req.principal!, 'objects:write');
      const b = parseBody(kind.schema as z.ZodType<z.infer<typeof SampleBody>>, req.body);
      if (!b.template_euid) throw new AppError('BAD_REQUEST', 'template_euid is required', 'template_euid_required');
      const row = await write(serviceContext(req), 'createObject', {
        templateEuid: b.template_euid,
        name: b.name,
        barcode: b.barcode ?? undefined,
        properties: propertiesFrom(b.json_addl, b),
      }, createObject);
      res.status(200).json({ success: true, euid: row.euid, message: `${kind.label} created successfully` });
    });
  }

  r.get('/content/:euid', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const row = await findObjectByEuid(serviceContext(req).db, req.params.euid);
    if (!row) throw notFound('Content', req.params.euid);
    res.json(toBloomContent(row));
  });

  r.put('/content/:euid', door.idempotent(UpdateBody), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const b = parseBody(UpdateBody, req.body);
    const euid = String(req.params.euid);
    const changes = { name: b.name, status: b.status ?? undefined, properties: propertiesFrom(b.json_addl, b) };
    if (Object.values(changes).every((v) => v === undefined)) {
      // Nothing Bloom would apply: no write, but the content must exist.
      if (!(await findObjectByEuid(serviceContext(req).db, euid))) throw notFound('Content', euid);
      return void res.json({ success: true, euid, message: 'Content updated successfully' });
    }
    const row = await addressedAs('Content', euid, write(serviceContext(req), 'updateObject', { euid, ...changes }, updateObject));
    res.json({ success: true, euid: row.euid, message: 'Content updated successfully' });
  });

  r.delete('/content/:euid', door.idempotent(), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const { hard_delete: hard } = parseBody(DeleteQuery, req.query, 'query');
    const euid = String(req.params.euid);
    const out = await addressedAs('Content', euid, write(serviceContext(req), 'deleteObject', { euid, hard }, deleteObject));
    res.json({ success: true, euid: out.euid, message: out.hard ? 'Content permanently deleted' : 'Content soft deleted' });
  });

  return r;
}
