// Bloom §1.7 /api/v1/templates: request/response shapes only; the reads live in
// src/services/templates (the same rows GraphQL `templates` / `template` return).
import { Router } from 'express';
import { z } from 'zod';
import type { TemplateRow } from '../../src/db/prisma.js';
import type { PropertySchema } from '../../src/domain/properties.js';
import { requirePermission } from '../../src/auth/authorize.js';
import { notFound } from '../../src/errors/index.js';
import { findTemplateByEuid, listTemplates, listTemplatesByOffset } from '../../src/services/templates/readTemplates.js';
import type { RestDoor } from '../../src/http/app.js';
import { parseBody } from './validation.js';

/** Required by Bloom on every templates route, and ignored: the server uses its own domain. */
const domainCode = z.string({ error: (i) => (i.input === undefined ? 'Field required' : 'Input should be a valid string') });
export const DomainQuery = z.object({ domain_code: domainCode });

export const ListQuery = z.object({
  domain_code: domainCode,
  category: z.string().optional(),
  type: z.string().optional(),
  subtype: z.string().optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(1000).default(50),
});

interface TemplateDefaults {
  layout?: { rows: number; columns: number };
  properties?: Record<string, unknown>;
}

/**
 * A template as Bloom's `json_addl`: `properties` holds one key per declared field
 * (null unless the template gives a default), the form an object-creation client
 * renders; `property_schema` is the full field list the values are checked against.
 */
export function bloomTemplateJsonAddl(t: TemplateRow): Record<string, unknown> {
  const defaults = (t.defaults ?? {}) as TemplateDefaults;
  const schema = (t.schema ?? {}) as PropertySchema;
  const form = Object.fromEntries((schema.fields ?? []).map((f) => [f.name, null]));
  return {
    properties: { ...form, ...(defaults.properties ?? {}) },
    description: t.description ?? '',
    instance_prefix: t.prefix,
    property_schema: schema,
    ...(defaults.layout ? { layout: defaults.layout } : {}),
  };
}

export const polymorphicDiscriminator = (t: TemplateRow) => `${t.category}_template`;

const toBloomItem = (t: TemplateRow) => ({
  euid: t.euid, name: t.name, category: t.category, type: t.type, subtype: t.subtype,
  polymorphic_discriminator: polymorphicDiscriminator(t),
});

export function templateRoutes(door: RestDoor): Router {
  const r = Router();

  r.get(['/templates', '/templates/'], async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const q = parseBody(ListQuery, req.query, 'query');
    const { rows, total } = await listTemplatesByOffset(
      door.context(req).db,
      { category: q.category, type: q.type, subtype: q.subtype },
      (q.page - 1) * q.page_size,
      q.page_size,
    );
    res.json({ items: rows.map(toBloomItem), total, page: q.page, page_size: q.page_size });
  });

  r.get('/templates/by-category/:category', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    parseBody(DomainQuery, req.query, 'query');
    const rows = await listTemplates(door.context(req).db, req.params.category);
    res.json({
      category: req.params.category,
      templates: rows.map((t) => ({ euid: t.euid, name: t.name, type: t.type, subtype: t.subtype })),
      count: rows.length,
    });
  });

  r.get('/templates/:euid', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    parseBody(DomainQuery, req.query, 'query');
    const t = await findTemplateByEuid(door.context(req).db, req.params.euid);
    if (!t) throw notFound('Template', req.params.euid);
    res.json({ ...toBloomItem(t), json_addl: bloomTemplateJsonAddl(t) });
  });

  return r;
}
