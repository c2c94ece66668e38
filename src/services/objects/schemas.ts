import { z } from 'zod';
import { isJsonObject, type JsonObject } from '../../domain/properties.js';

export const STATUS_RE = /^[a-z][a-z0-9_]{0,39}$/;
export const TEMPLATE_CODE_RE = /^[a-z0-9_-]+\/[a-z0-9_-]+\/[a-z0-9_-]+\/[0-9A-Za-z._-]+$/;

export const name = z.string().trim().min(1).max(500);
export const externalId = z.string().min(1).max(255);
export const status = z.string().regex(STATUS_RE, 'lowercase letters, digits and underscores, starting with a letter');
export const properties = z.custom<JsonObject>((v) => isJsonObject(v), 'must be a JSON object');
export const layout = z.object({ rows: z.number().int().min(1).max(16), columns: z.number().int().min(1).max(24) });
export const reference = z.object({
  provider: z.string().min(1).max(64).default('external'),
  type: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lowercase identifier'),
  value: z.string().trim().min(1).max(255),
});

export const CreateObject = z
  .object({
    templateCode: z.string().regex(TEMPLATE_CODE_RE, 'category/type/subtype/version').optional(),
    templateEuid: z.string().min(1).max(64).optional(),
    name: name.optional(),
    externalId: externalId.optional(),
    externalScope: z.string().max(255).optional(),
    status: status.optional(),
    barcode: z.string().trim().min(1).max(255).optional(),
    layout: layout.optional(),
    properties: properties.optional(),
    references: z.array(reference).max(50).optional(),
  })
  .refine((v) => Boolean(v.templateCode) !== Boolean(v.templateEuid), {
    message: 'exactly one of templateCode or templateEuid is required',
    path: ['templateCode'],
  });
export type CreateObjectInput = z.input<typeof CreateObject>;

export const UpdateObject = z.object({
  euid: z.string().min(1),
  name: name.optional(),
  status: status.optional(),
  externalId: externalId.nullable().optional(),
  barcode: z.string().trim().min(1).max(255).nullable().optional(),
  /** Merged one level deep; a null value removes the key. */
  properties: properties.optional(),
  references: z.array(reference).max(50).optional(),
});
export type UpdateObjectInput = z.input<typeof UpdateObject>;

export const DeleteObject = z.object({ euid: z.string().min(1), hard: z.boolean().default(false) });
export type DeleteObjectInput = z.input<typeof DeleteObject>;
