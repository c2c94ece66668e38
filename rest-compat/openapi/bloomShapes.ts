// Response shapes shared by the Bloom route groups' OpenAPI specs. Output-side zod
// objects are closed (additionalProperties: false), so a field a handler leaks
// (a uuid, an internal id) fails the response check in test/rest/openapi.test.ts.
import { z, type ZodType } from 'zod';

/** ISO 8601 timestamp (Bloom writes `+00:00`, labgraph's own routes `Z`). */
export const isoTime = z.string().meta({ format: 'date-time' });

/** Bloom's `json_addl` on reads: the object's properties. */
export const jsonObject = z.record(z.string(), z.unknown());
export const readJsonAddl = z.object({ properties: jsonObject }).meta({ id: 'BloomJsonAddl', description: "The object's properties, as Bloom's json_addl" });

/** `{success: true, euid, message}`: what Bloom's creates, updates and deletes answer. */
export const euidResult = z
  .object({ success: z.literal(true), euid: z.string(), message: z.string() })
  .meta({ id: 'BloomEuidResult', description: 'A write on one object: its EUID and a human message' });

/** `{success: true, message}` (placement, logout). */
export const successMessage = z.object({ success: z.literal(true), message: z.string() }).meta({ id: 'BloomSuccess' });

/** Bloom's offset page `{items, total, page, page_size}` (objects add `pages`). */
export const offsetPage = <T extends ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int().min(0), page: z.number().int().min(1), page_size: z.number().int().min(1) });

/** `{items, total}` without paging (tokens, groups, members, usage, by-reference). */
export const itemsTotal = <T extends ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int().min(0) });

/** `{detail: "<message>"}`; failures decided before a route runs (credential, rate limit, Idempotency-Key) add `message`. */
export const bloomError = z
  .object({ detail: z.string(), message: z.string().optional() })
  .meta({ id: 'BloomError', description: 'Error: a human detail (route errors) or a stable snake_case code plus message (gateway errors)' });

const issue = z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() }).meta({ id: 'ValidationIssue' });

/** FastAPI's 422 list; an Idempotency-Key reused with another body is a 422 with a string detail. */
export const bloomValidationError = z
  .union([
    z.object({ detail: z.array(issue) }),
    z.object({ detail: z.literal('idempotency_key_reused_with_different_body'), message: z.string().optional() }),
  ])
  .meta({ id: 'ValidationError', description: 'FastAPI-style validation failure, or an Idempotency-Key reused with a different body' });

export const bloomErrorSchema = (status: number): ZodType => (status === 422 ? bloomValidationError : bloomError);

/** What every authenticated operation can answer: no valid credential, not permitted, rate limited. */
export const AUTH_ERRORS = [401, 403, 429] as const;
