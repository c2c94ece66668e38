import type { Tx, ObjectRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { badInput } from '../../errors/index.js';
import { checkProperties, mergeProperties, type JsonObject, type PropertySchema } from '../../domain/properties.js';
import { diffFields, recordChange } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { UpdateObject, type UpdateObjectInput } from './schemas.js';
import { findLiveObject } from './findObject.js';
import { auditedFields, objectEvents } from './objectEvents.js';
import { referenceList, replaceReferences } from './references.js';

export async function updateObject(tx: Tx, actor: Actor, raw: UpdateObjectInput): Promise<ObjectRow> {
  const input = parseInput(UpdateObject, raw);
  const before = await findLiveObject(tx, input.euid, { lock: true });

  let properties = before.properties as JsonObject;
  if (input.properties) {
    properties = mergeProperties(properties, input.properties);
    const template = await tx.template.findUniqueOrThrow({ where: { id: before.templateId } });
    const issues = checkProperties(template.schema as PropertySchema, properties);
    if (issues.length) throw badInput(`${issues[0].path.join('.')}: ${issues[0].message}`, issues);
  }

  const after = await tx.materialObject.update({
    where: { id: before.id },
    data: {
      name: input.name,
      status: input.status,
      externalId: input.externalId,
      barcode: input.barcode,
      properties: input.properties ? (properties as object) : undefined,
    },
  });
  const refsBefore = input.references?.length ? await referenceList(tx, after.id) : null;
  if (input.references?.length) await replaceReferences(tx, after.id, input.references);

  const changes = diffFields(auditedFields(before), auditedFields(after));
  if (refsBefore) Object.assign(changes, diffFields({ references: refsBefore }, { references: await referenceList(tx, after.id) }));
  await recordChange(tx, actor, {
    operation: 'updateObject',
    entityType: after.category,
    entityEuid: after.euid,
    changes,
    events: objectEvents(after, 'updated', {
      changedFields: Object.keys(changes),
      ...(changes.status ? { previousStatus: before.status } : {}),
    }, before),
  });
  return after;
}
