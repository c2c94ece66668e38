// Bloom §1.6 /api/v1/object-creation: the template wizard (categories → types →
// subtypes → template) and creation by the four parts of a template code, mapped
// onto the shared template catalog and createObject.
import { Router } from 'express';
import { z } from 'zod';
import { requirePermission } from '../../src/auth/authorize.js';
import { AppError } from '../../src/errors/index.js';
import { write } from '../../src/services/write.js';
import { createObjectFromParts } from '../../src/services/templates/createObjectFromParts.js';
import {
  findTemplateVersion, listTemplateCategories, listTemplateSubtypes, listTemplateTypes,
} from '../../src/services/templates/templateCatalog.js';
import type { RestDoor } from '../../src/http/app.js';
import { parseBody } from './validation.js';
import { bloomTemplateJsonAddl } from './templates.routes.js';

const required = z.string({ error: (i) => (i.input === undefined ? 'Field required' : 'Input should be a valid string') });

export const TypesQuery = z.object({ category: required });
export const SubtypesQuery = z.object({ category: required, type: required });
export const TemplateQuery = z.object({ category: required, type: required, subtype: required, version: required });

export const CreateBody = z.object({
  category: required,
  type: required,
  subtype: required,
  version: required,
  // Bloom treats an empty name as none.
  name: z.string().nullish().transform((s) => s || undefined),
  properties: z.record(z.string(), z.unknown()).nullish().transform((p) => p ?? undefined),
});

const PATH_COMPONENT_RE = /^[a-z0-9_-]+$/;

/** Bloom's guard on `category` and `type` query values, its three 400s in its order. */
function guardPathComponent(value: string, param: string): void {
  if (value.includes('/') || value.includes('\\')) throw new AppError('BAD_REQUEST', `Invalid ${param}: path separators not allowed`);
  if (value.includes('..')) throw new AppError('BAD_REQUEST', `Invalid ${param}: parent directory references not allowed`);
  if (!PATH_COMPONENT_RE.test(value)) {
    throw new AppError('BAD_REQUEST', `Invalid ${param}: must contain only lowercase letters, numbers, underscores, and hyphens`);
  }
}

/** Python's str.title(): a letter is upper-cased after a non-letter, lower-cased after a letter. */
function pyTitle(s: string): string {
  let out = '';
  let prevLetter = false;
  for (const ch of s) {
    const letter = ch.toLowerCase() !== ch.toUpperCase();
    out += letter ? (prevLetter ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevLetter = letter;
  }
  return out;
}

export function objectCreationRoutes(door: RestDoor): Router {
  const r = Router();

  r.get('/object-creation/categories', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const categories = await listTemplateCategories(door.context(req).db);
    res.json({
      categories: categories.map((c) => ({ name: c.name, display_name: pyTitle(c.name.replaceAll('_', ' ')), type_count: c.typeCount })),
    });
  });

  r.get('/object-creation/types', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const q = parseBody(TypesQuery, req.query, 'query');
    guardPathComponent(q.category, 'category');
    const types = await listTemplateTypes(door.context(req).db, q.category);
    res.json({
      category: q.category,
      types: types.map((t) => ({ name: t.name, display_name: pyTitle(t.name.replace(/[_-]/g, ' ')), subtype_count: t.subtypeCount })),
    });
  });

  r.get('/object-creation/subtypes', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const q = parseBody(SubtypesQuery, req.query, 'query');
    guardPathComponent(q.category, 'category');
    guardPathComponent(q.type, 'type');
    const subtypes = await listTemplateSubtypes(door.context(req).db, q.category, q.type);
    res.json({
      category: q.category,
      type: q.type,
      subtypes: subtypes.map((s) => ({
        name: s.name, display_name: pyTitle(s.name.replace(/[_-]/g, ' ')), versions: s.versions, description: s.description,
      })),
    });
  });

  r.get('/object-creation/template', async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const q = parseBody(TemplateQuery, req.query, 'query');
    guardPathComponent(q.category, 'category');
    guardPathComponent(q.type, 'type');
    const t = await findTemplateVersion(door.context(req).db, q.category, q.type, q.subtype, q.version);
    const template = bloomTemplateJsonAddl(t);
    res.json({
      category: q.category, type: q.type, subtype: q.subtype, version: q.version,
      template, properties: template.properties, description: template.description,
    });
  });

  r.post('/object-creation/create', door.idempotent(CreateBody), async (req, res) => {
    requirePermission(req.principal!, 'objects:write');
    const b = parseBody(CreateBody, req.body);
    const row = await write(door.context(req), 'createObject', {
      category: b.category, type: b.type, subtype: b.subtype, version: b.version,
      name: b.name, properties: b.properties,
    }, createObjectFromParts);
    res.status(200).json({
      euid: row.euid, name: row.name, category: row.category, type: row.type, subtype: row.subtype,
      message: `Successfully created ${row.euid}`,
    });
  });

  return r;
}
