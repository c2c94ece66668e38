// Bloom's bulk-create upload (§1.3): the TSV file from a multipart `file` part
// (parsed here: express has no multipart parser and no package is added) or from a
// raw text/tab-separated-values or text/plain body, and its rows as the rows of
// bulkCreateContainers. Column names and row errors are Bloom's.
import express, { type RequestHandler } from 'express';
import type { BulkCreateInputT } from '../../src/services/containers/bulkCreateContainers.js';
import { propertiesOf } from './bodyFields.js';

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
export const bulkFile: RequestHandler[] = [
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
export function parseTsv(text: string): { row: number; cells: Record<string, string> }[] {
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

export type BulkRow = BulkCreateInputT['rows'][number];

/** One TSV row → the service's row, or the row's error (Bloom's messages for what the file itself gets wrong). */
export function bulkRow(row: number, c: Record<string, string>): BulkRow | { row: number; error: string } {
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
