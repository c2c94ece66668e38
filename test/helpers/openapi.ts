// Checks real responses against a published OpenAPI document, and records which
// operations were exercised so a test can demand every one of them was.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { OpenApiDocument } from '../../rest-compat/openapi/document.js';

interface Operation {
  key: string;
  method: string;
  re: RegExp;
  params: number;
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  /** The parsed JSON body (or text for non-JSON). */
  body: unknown;
}

export class OpenApiChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  private readonly ops: Operation[] = [];
  private readonly validators = new Map<object, ReturnType<Ajv2020['compile']>>();
  readonly covered = new Set<string>();

  constructor(readonly doc: OpenApiDocument) {
    const base = doc.servers[0]?.url ?? '';
    for (const [path, methods] of Object.entries(doc.paths)) {
      const params = (path.match(/\{/g) ?? []).length;
      // `/` under `/api/v1` is `/api/v1` or `/api/v1/`
      const re = new RegExp(`^${base}${path === '/' ? '' : path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
      for (const [method, op] of Object.entries(methods)) {
        const responses = (op as { responses: Operation['responses'] }).responses;
        this.ops.push({ key: `${method.toUpperCase()} ${path}`, method, re, params, responses });
      }
    }
    // Literal segments win over parameters (`/objects/search` before `/objects/{euid}`).
    this.ops.sort((a, b) => a.params - b.params);
  }

  /** Every documented operation, as `METHOD /path`. */
  get operations(): string[] {
    return this.ops.map((o) => o.key);
  }

  /** Problems with one response (empty when it matches the document). */
  problems(method: string, url: string, res: ResponseLike): string[] {
    const pathname = new URL(url, 'http://x').pathname;
    const op = this.ops.find((o) => o.method === method.toLowerCase() && o.re.test(pathname));
    if (!op) return [`${method} ${pathname}: not in the document`];
    this.covered.add(op.key);
    const declared = op.responses[String(res.status)];
    if (!declared) return [`${op.key}: status ${res.status} not documented`];
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    const media = declared.content?.[type];
    if (!media) return [`${op.key} ${res.status}: content type ${type || '(none)'} not documented`];
    if (!media.schema) return [];
    const validate = this.validator(media.schema);
    if (validate(res.body)) return [];
    return (validate.errors ?? []).map((e) => `${op.key} ${res.status}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }

  /** `#/components/schemas/…` refs resolve against the document's components, carried along as an unknown keyword. */
  private validator(schema: object): ReturnType<Ajv2020['compile']> {
    let v = this.validators.get(schema);
    if (!v) {
      v = this.ajv.compile({ ...schema, components: this.doc.components });
      this.validators.set(schema, v);
    }
    return v;
  }

  /** Operations never exercised through `problems`. */
  uncovered(): string[] {
    return this.operations.filter((k) => !this.covered.has(k));
  }
}
