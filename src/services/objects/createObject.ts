import type { Tx, ObjectRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { mintEuid } from '../mintEuid.js';
import { recordChange, diffFields } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { findTemplate } from '../templates/findTemplate.js';
import { CreateObject, type CreateObjectInput } from './schemas.js';
import { auditedFields, objectEvents } from './objectEvents.js';
import { replaceReferences } from './references.js';
import { planObject } from './planObject.js';

export async function createObject(tx: Tx, actor: Actor, raw: CreateObjectInput): Promise<ObjectRow> {
  const input = parseInput(CreateObject, raw);
  const template = await findTemplate(tx, input);
  const { properties, layout } = planObject(template, input);

  const euid = await mintEuid(tx, template.prefix);
  const row = await tx.materialObject.create({
    data: {
      euid,
      category: template.category,
      type: template.type,
      subtype: template.subtype,
      templateId: template.id,
      status: input.status ?? 'active',
      name: input.name ?? euid,
      properties: properties as object,
      externalId: input.externalId ?? null,
      externalScope: input.externalScope ?? '',
      barcode: input.barcode ?? null,
      layoutRows: layout?.rows ?? null,
      layoutColumns: layout?.columns ?? null,
    },
  });
  if (input.references?.length) await replaceReferences(tx, row.id, input.references);

  await recordChange(tx, actor, {
    operation: 'createObject',
    entityType: row.category,
    entityEuid: row.euid,
    changes: diffFields({}, auditedFields(row)),
    events: objectEvents(row, 'created', { template: template.euid }),
  });
  return row;
}
