// What a REST route declares about itself so the OpenAPI document is generated
// from the same zod schemas the handler validates with (never written twice).
import type { ZodType } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** Body schema (output side of the zod schema). Omit for bodies the document does not describe. */
  schema?: ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  /** Further media types of the same response (e.g. an export served as JSON or TSV). */
  alternatives?: { contentType: string; schema?: ZodType }[];
}

export interface RouteSpec {
  method: HttpMethod;
  /** Express-style path relative to the document's base, e.g. `/objects/:euid`. */
  path: string;
  /** Also served with a trailing slash (documented once, without it). */
  tag: string;
  summary: string;
  description?: string;
  /** Query string schema: a zod object whose keys become `in: query` parameters. */
  query?: ZodType;
  /** Request body schema (input side). */
  body?: ZodType;
  /** Defaults to application/json. */
  bodyContentType?: string;
  /** Several accepted media types (e.g. a multipart upload or the raw TSV), instead of `body`/`bodyContentType`. */
  bodyContent?: Record<string, ZodType | undefined>;
  /** false for routes that need no credential (default true). */
  auth?: boolean;
  /** Success and route-specific responses, by status. */
  responses: Record<number, ResponseSpec>;
  /** Error statuses that answer with the document's error envelope (e.g. [401, 403, 404, 422]). */
  errors?: number[];
  /** Accepts an Idempotency-Key header. */
  idempotent?: boolean;
}

export const spec = (s: RouteSpec): RouteSpec => s;
