// Bloom §1.8 /api/v1/subjects: objects of category `subject`, mapped onto the
// shared object services (through the subject guards in src/services/subjects).
import { Router } from 'express';
import { z } from 'zod';
import type { ObjectRow } from '../../src/db/prisma.js';
import { requirePermission } from '../../src/auth/authorize.js';
import { notFound } from '../../src/errors/index.js';
import { write } from '../../src/services/write.js';
import { createSubject } from '../../src/services/subjects/createSubject.js';
import { updateSubject } from '../../src/services/subjects/updateSubject.js';
import { deleteSubject } from '../../src/services/subjects/deleteSubject.js';
import { findSubjectByEuid, listSubjectSpecimens, listSubjectsByOffset } from '../../src/services/subjects/readSubjects.js';
import type { RestDoor } from '../../src/http/app.js';
import { parseBody } from './validation.js';
import { propertiesOf } from './bodyFields.js';

const jsonObject = z.record(z.string(), z.unknown());

export const CreateBody = z.object({
  template_euid: z.string({ error: (i) => (i.input === undefined ? 'Field required' : 'Input should be a valid string') }).min(1),
  // Bloom treats empty values as absent.
  name: z.string().max(500).nullish().transform((s) => s || undefined),
  external_id: z.string().max(255).nullish().transform((s) => s || undefined),
  json_addl: jsonObject.nullish().transform((j) => j ?? undefined),
});

export const UpdateBody = z.object({
  name: z.string().min(1).max(500).nullish().transform((s) => s ?? undefined),
  status: z.string().nullish().transform((s) => s ?? undefined),
  json_addl: jsonObject.nullish().transform((j) => j ?? undefined),
});

export const ListQuery = z.object({
  subtype: z.string().optional(),
  status: z.string().optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(1000).default(50),
});

const summary = (o: ObjectRow) => ({ euid: o.euid, name: o.name, type: o.type, subtype: o.subtype, status: o.status });

export function subjectRoutes(door: RestDoor): Router {
  const r = Router();

  r.get(['/subjects', '/subjects/'], async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const q = parseBody(ListQuery, req.query, 'query');
    const { rows, total } = await listSubjectsByOffset(
      door.context(req).db,
      { subtype: q.subtype, status: q.status },
      (q.page - 1) * q.page_size,
      q.page_size,
    );
    res.json({ items: rows.map(summary), total, page: q.page, page_size: q.page_size });
  });

  r.get('/subjects/:euid', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const row = await findSubjectByEuid(door.context(req).db, req.params.euid);
    if (!row) throw notFound('Subject', req.params.euid);
    res.json({ ...summary(row), json_addl: { properties: row.properties } });
  });

  r.get('/subjects/:euid/specimens', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const { subject, specimens } = await listSubjectSpecimens(door.context(req).db, req.params.euid);
    res.json({ subject_euid: subject.euid, specimens: specimens.map(summary), count: specimens.length });
  });

  r.post(['/subjects', '/subjects/'], door.idempotent(CreateBody), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const b = parseBody(CreateBody, req.body);
    const row = await write(door.context(req), 'createObject', {
      templateEuid: b.template_euid,
      name: b.name,
      externalId: b.external_id,
      properties: propertiesOf(b.json_addl),
    }, createSubject);
    res.status(200).json({ success: true, euid: row.euid, message: 'Subject created successfully' });
  });

  r.put('/subjects/:euid', door.idempotent(UpdateBody), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const b = parseBody(UpdateBody, req.body);
    const row = await write(door.context(req), 'updateObject', {
      euid: String(req.params.euid), name: b.name, status: b.status, properties: propertiesOf(b.json_addl) as never,
    }, updateSubject);
    res.json({ success: true, euid: row.euid, message: 'Subject updated successfully' });
  });

  r.delete('/subjects/:euid', door.idempotent(), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const hard = req.query.hard_delete === 'true';
    const out = await write(door.context(req), 'deleteObject', { euid: String(req.params.euid), hard }, deleteSubject);
    res.json({ success: true, euid: out.euid, message: hard ? 'Subject permanently deleted' : 'Subject soft deleted' });
  });

  return r;
}
