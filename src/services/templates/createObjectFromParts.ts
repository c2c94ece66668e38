// Creation by the four parts of a template code (Bloom's object-creation wizard):
// the same createObject GraphQL runs, in the caller's transaction.
import type { Tx, ObjectRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { notFound } from '../../errors/index.js';
import { checkProperties, type JsonObject, type PropertySchema } from '../../domain/properties.js';
import { createObject } from '../objects/createObject.js';
import { TEMPLATE_CODE_RE } from '../objects/schemas.js';
import { findTemplate } from './findTemplate.js';
import { templateCode } from './standardTemplates.js';

export interface CreateFromParts {
  category: string;
  type: string;
  subtype: string;
  version: string;
  name?: string;
  properties?: JsonObject;
}

/**
 * A code that cannot exist is a missing template ("Template not found: c/t/s/v"),
 * not a malformed input. `name` names the object and is also kept as
 * `properties.name` when the template's property schema accepts it.
 */
export async function createObjectFromParts(tx: Tx, actor: Actor, input: CreateFromParts): Promise<ObjectRow> {
  const code = templateCode(input);
  if (!TEMPLATE_CODE_RE.test(code)) throw notFound('Template', code);
  const template = await findTemplate(tx, { templateCode: code });
  let properties = input.properties;
  if (input.name !== undefined) {
    const accepted = !checkProperties(template.schema as PropertySchema, { name: input.name }).some((i) => i.path[1] === 'name');
    if (accepted) properties = { ...(properties ?? {}), name: input.name };
  }
  return createObject(tx, actor, { templateCode: code, name: input.name, properties });
}
