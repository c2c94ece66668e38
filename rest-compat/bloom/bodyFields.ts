// Bloom request-field shapes shared by the containers, content and lineages routes
// (§0.2 body EUIDs, json_addl, FastAPI bool query params, page/page_size), and the
// re-addressing of a service's "Object not found" as the route's kind.
import { z } from 'zod';
import { AppError, notFound } from '../../src/errors/index.js';
import { isValidEuid } from '../../src/domain/euid.js';
import type { JsonObject } from '../../src/domain/properties.js';

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
