// Bloom §1.3 /api/v1/containers: request/response shapes only; every rule lives in
// the shared services GraphQL uses (createObject, updateObject, deleteObject,
// placeInContainer, removeFromContainer).
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { ObjectRow } from '../../src/db/prisma.js';
import type { RestDoor } from '../../src/http/app.js';
import { requirePermission } from '../../src/auth/authorize.js';
import { AppError, notFound } from '../../src/errors/index.js';
import { isValidEuid } from '../../src/domain/euid.js';
import { allPositions } from '../../src/domain/wells.js';
import type { JsonObject } from '../../src/domain/properties.js';
import { write } from '../../src/services/write.js';
import { createObject } from '../../src/services/objects/createObject.js';
import { deleteObject } from '../../src/services/objects/deleteObject.js';
import { findObjectByEuid, listObjectsByOffset } from '../../src/services/objects/readObjects.js';
import { updateContainer } from '../../src/services/containers/updateContainer.js';
import { placeInContainer } from '../../src/services/containers/placeInContainer.js';
import { removeFromContainer } from '../../src/services/containers/removeFromContainer.js';
import { listContainerContents } from '../../src/services/containers/listContainerContents.js';
import { bulkCreateContainers, type BulkCreateInputT } from '../../src/services/containers/bulkCreateContainers.js';
import { BloomValidationError, parseBody } from './validation.js';

// ---- Bloom field shapes shared by the containers and content routes ----

const euidError = (v: string) =>
  `Value error, Invalid EUID format: ${v}. Expected PREFIX-BODYCHECK with a valid check character (e.g. BCN-16, BGT-1R).`;

/** A required body EUID, uppercased and checksum-validated as Bloom does (§0.2). */
export const bloomEuid = z.string().transform((raw, ctx) => {
  const v = raw.trim().toUpperCase();
  if (!isValidEuid(v)) {
    ctx.addIssue({ code: 'custom', message: euidError(v) });
    return z.NEVER;
  }
  return v;
});

/** An optional body EUID: null or blank counts as absent, anything else must be valid. */
export const optionalBloomEuid = z
  .string()
  .nullish()
  .transform((raw, ctx) => {
    const v = raw?.trim().toUpperCase();
    if (!v) return undefined;
    if (!isValidEuid(v)) {
      ctx.addIssue({ code: 'custom', message: euidError(v) });
      return z.NEVER;
    }
    return v;
  });

/** Bloom's json_addl: a dict, or a JSON string holding one. */
export const jsonAddl = z.union([
  z.record(z.string(), z.unknown()),
  z.string().transform((s, ctx) => {
    try {
      const v: unknown = JSON.parse(s);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* reported below */
    }
    ctx.addIssue({ code: 'custom', message: 'json_addl must be a JSON object' });
    return z.NEVER;
  }),
]);

/** Bloom's json_addl is our properties; a `properties` key inside it is taken as the properties. */
export const propertiesOf = (addl: Record<string, unknown> | undefined): JsonObject | undefined =>
  addl && typeof addl.properties === 'object' && addl.properties !== null && !Array.isArray(addl.properties)
    ? (addl.properties as JsonObject)
    : addl;

const TRUE = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['false', '0', 'no', 'off', 'f', 'n']);
/** A FastAPI bool query parameter: true/false, 1/0, yes/no, on/off (any case); anything else is a 422. */
export const queryBool = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return false;
    const v = s.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    ctx.addIssue({ code: 'custom', message: 'Input should be a valid boolean, unable to interpret input' });
    return z.NEVER;
  });

export const paging = {
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(1000).default(50),
};

/** A service's "Object not found: X" re-addressed as the route's kind ("Container not found: X"). */
export async function addressedAs<T>(label: string, euid: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND' && err.message === `Object not found: ${euid}`) throw notFound(label, euid);
    throw err;
  }
}

// ---- Containers ----

const ListQuery = z.object({
  container_type: z.string().optional(),
  subtype: z.string().optional(),
  status: z.string().optional(),
  ...paging,
});

const GetQuery = z.object({ include_contents: queryBool });
const DeleteQuery = z.object({ hard_delete: queryBool });

const CreateBody = z.object({
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

const UpdateBody = z.object({
  name: z.string().trim().min(1).max(500).optional(),
  barcode: z.string().max(100).nullish(),
  status: z.string().max(50).nullish(),
  json_addl: jsonAddl.nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  // Accepted and ignored: delete with DELETE /containers/{euid}.
  is_deleted: z.boolean().nullish(),
});

const PlaceBody = z.object({
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

// ---- bulk-create: multipart (no parser package), or the TSV as the raw body ----

const BULK_TYPES = ['multipart/form-data', 'text/tab-separated-values', 'text/plain'];

/** The bytes of the multipart part named `field`, or undefined. */
function multipartPart(body: Buffer, contentType: string, field: string): Buffer | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!m) return undefined;
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const after = at + delimiter.length;
    if (body.subarray(after, after + 2).toString('latin1') === '--') return undefined; // closing delimiter
    const headersEnd = body.indexOf('\r\n\r\n', after);
    if (headersEnd === -1) return undefined;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd + 4);
    if (next === -1) return undefined;
    const headers = body.subarray(after, headersEnd).toString('utf8');
    const name = /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(headers)?.[1];
    if (name === field) return body.subarray(headersEnd + 4, next);
    at = next + 2;
  }
  return undefined;
}

/** Leaves `req.body = { file?: string }`: the uploaded TSV text. */
const bulkFile: RequestHandler[] = [
  express.raw({ type: BULK_TYPES, limit: '2mb' }),
  (req, _res, next) => {
    const raw: unknown = req.body;
    const type = req.headers['content-type'] ?? '';
    let file: Buffer | undefined;
    if (Buffer.isBuffer(raw)) file = /^multipart\/form-data/i.test(type) ? multipartPart(raw, type, 'file') : raw;
    req.body = file === undefined ? {} : { file: file.toString('utf8') };
    next();
  },
];

const unquote = (cell: string) => (cell.length >= 2 && cell.startsWith('"') && cell.endsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell);

/** Bloom's TSV (a header row, then one row per container), as rows numbered like Bloom (the first data row is 2). */
function parseTsv(text: string): { row: number; cells: Record<string, string> }[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines.shift() ?? '').split('\t').map((h) => unquote(h.trim()));
  const rows: { row: number; cells: Record<string, string> }[] = [];
  for (const line of lines) {
    if (line === '') continue; // Python's DictReader skips blank lines without counting them
    const values = line.split('\t').map(unquote);
    const cells: Record<string, string> = {};
    header.forEach((h, i) => { cells[h] = (values[i] ?? '').trim(); });
    rows.push({ row: rows.length + 2, cells });
  }
  return rows;
}

/** `type:subtype[:version]` → a template code in `category`. */
function templateCodeOf(category: string, spec: string): string | undefined {
  const [type, subtype, version = '1.0'] = spec.split(':');
  if (!type || !subtype) return undefined;
  return `${category}/${type.toLowerCase()}/${subtype.toLowerCase()}/${version}`;
}

type BulkRow = BulkCreateInputT['rows'][number];

/** One TSV row → the service's row, or the row's error (Bloom's messages for what the file itself gets wrong). */
function bulkRow(row: number, c: Record<string, string>): BulkRow | { row: number; error: string } {
  let container: BulkRow['container'];
  if (c.container_template_euid) container = { templateEuid: c.container_template_euid };
  else if (c.container_type) {
    const code = templateCodeOf('container', c.container_type);
    if (!code) return { row, error: `Invalid container_type format: ${c.container_type}` };
    container = { templateCode: code };
  } else return { row, error: 'container_template_euid or container_type required' };
  if (c.container_name) container.name = c.container_name;

  let content: BulkRow['content'];
  if (c.content_template_euid) content = { templateEuid: c.content_template_euid };
  else if (c.content_type) {
    const code = templateCodeOf('content', c.content_type);
    if (!code) return { row, error: `Invalid content_type format: ${c.content_type}` };
    content = { templateCode: code };
  }
  if (content) {
    if (c.content_name) content.name = c.content_name;
    if (c.content_properties) {
      let props: unknown;
      try {
        props = JSON.parse(c.content_properties);
      } catch {
        return { row, error: `Invalid JSON in content_properties: ${c.content_properties}` };
      }
      if (!props || typeof props !== 'object' || Array.isArray(props)) return { row, error: `Invalid JSON in content_properties: ${c.content_properties}` };
      content.properties = propertiesOf(props as Record<string, unknown>);
    }
  }
  return { row, container, content, position: c.position || undefined };
}

export function containerRoutes(door: RestDoor): Router {
  const r = Router();
  const serviceContext = door.context;

  r.get(['/containers', '/containers/'], async (req, res) => {
    requirePermission(req.principal!, 'objects:read');
    const q = parseBody(ListQuery, req.query, 'query');
    const { rows, total } = await listObjectsByOffset(
      serviceContext(req).db,
      { category: 'container', type: q.container_type, subtype: q.subtype, status: q.status },
      (q.page - 1) * q.page_size,
      q.page_size,
    );
    res.json({
      items: rows.map((o) => ({ euid: o.euid, name: o.name, container_type: o.type, subtype: o.subtype, status: o.status })),
      total, page: q.page, page_size: q.page_size,
    });
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
