// OpenAPI 3.1 from route specs: zod → JSON Schema 2020-12 (which 3.1 uses as is).
import { z, type ZodType } from 'zod';
import type { RouteSpec } from './routeSpec.js';

export interface DocumentOptions {
  title: string;
  version: string;
  description?: string;
  /** Where the paths are rooted, e.g. `/api/v1`. */
  basePath: string;
  routes: RouteSpec[];
  /** The error envelope for each status listed in a route's `errors`. */
  errorSchema: (status: number) => ZodType;
}

export type JsonSchema = Record<string, unknown>;
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers: { url: string }[];
  tags?: { name: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, unknown>;
}

/** zod bounds every int by ±Number.MAX_SAFE_INTEGER; those bounds say nothing to a reader, so they are dropped. */
function dropSafeIntBounds(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropSafeIntBounds);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k, x]) => !((k === 'maximum' && x === Number.MAX_SAFE_INTEGER) || (k === 'minimum' && x === Number.MIN_SAFE_INTEGER)))
      .map(([k, x]) => [k, dropSafeIntBounds(x)]),
  );
}

export function jsonSchemaOf(schema: ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
  return dropSafeIntBounds(rest) as JsonSchema;
}

/** `/objects/:euid` → `/objects/{euid}` and the parameter names. */
export function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const out = path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: out, params };
}

function queryParameters(query: ZodType, lift: (s: JsonSchema) => JsonSchema): unknown[] {
  const s = lift(jsonSchemaOf(query, 'input'));
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required ?? []) as string[]);
  return Object.entries(props).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
}

/**
 * Lifts the `$defs` zod emits for schemas with `.meta({ id })` into
 * components.schemas, so a shape (an error envelope, a token) is written once and
 * referenced as `#/components/schemas/<id>`; the input side of an id is `<id>Input`.
 */
class Components {
  readonly schemas: Record<string, JsonSchema> = {};

  lift(schema: JsonSchema, io: 'input' | 'output'): JsonSchema {
    const { $defs, ...rest } = schema as JsonSchema & { $defs?: Record<string, JsonSchema> };
    if (!$defs) return rest;
    const name = (id: string) => (io === 'output' ? id : `${id}Input`);
    const rewrite = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(rewrite);
      if (!v || typeof v !== 'object') return v;
      return Object.fromEntries(Object.entries(v).map(([k, x]) => {
        const m = k === '$ref' && typeof x === 'string' ? /^#\/\$defs\/(.+)$/.exec(x) : null;
        return [k, m ? `#/components/schemas/${name(m[1])}` : rewrite(x)];
      }));
    };
    for (const [id, def] of Object.entries($defs)) this.schemas[name(id)] ??= rewrite(def) as JsonSchema;
    return rewrite(rest) as JsonSchema;
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'No valid credential (WWW-Authenticate: Bearer)',
  403: 'Not permitted for this caller',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict (duplicate, cycle, or an Idempotency-Key still in flight)',
  422: 'Validation failed',
  424: 'A dependency failed',
  429: 'Rate limited (Retry-After)',
};

export function buildOpenApiDocument(o: DocumentOptions): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const components = new Components();
  const content = (schema: ZodType | undefined, io: 'input' | 'output', type = 'application/json') => ({
    [type]: schema ? { schema: components.lift(jsonSchemaOf(schema, io), io) } : {},
  });
  for (const r of o.routes) {
    const { path, params } = openApiPath(r.path);
    const responses: Record<string, unknown> = {};
    for (const [status, res] of Object.entries(r.responses)) {
      const media = Object.assign(content(res.schema, 'output', res.contentType), ...(res.alternatives ?? []).map((a) => content(a.schema, 'output', a.contentType)));
      responses[status] = { description: res.description, content: media };
    }
    for (const status of r.errors ?? []) {
      responses[String(status)] ??= { description: STATUS_TEXT[status] ?? `Error ${status}`, content: content(o.errorSchema(status), 'output') };
    }
    const parameters: unknown[] = params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    if (r.query) parameters.push(...queryParameters(r.query, (s) => components.lift(s, 'input')));
    if (r.idempotent) {
      parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 } });
    }
    const op: Record<string, unknown> = {
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      operationId: `${r.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ? c.toUpperCase() : '')) || 'Root'}`,
      ...(parameters.length ? { parameters } : {}),
      ...(r.bodyContent
        ? { requestBody: { required: true, content: Object.assign({}, ...Object.entries(r.bodyContent).map(([type, schema]) => content(schema, 'input', type))) } }
        : r.body
          ? { requestBody: { required: true, content: content(r.body, 'input', r.bodyContentType) } }
          : {}),
      responses,
      ...(r.auth === false ? { security: [] } : {}),
    };
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: o.title, version: o.version, ...(o.description ? { description: o.description } : {}) },
    servers: [{ url: o.basePath }],
    tags: [...new Set(o.routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key, user token or JWT' } },
    },
    ...{ security: [{ bearer: [] }] },
  } as OpenApiDocument;
}
