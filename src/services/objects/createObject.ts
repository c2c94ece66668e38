import type { Tx, ObjectRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { badInput } from '../../errors/index.js';
import { checkProperties, type JsonObject, type PropertySchema } from '../../domain/properties.js';
import { mintEuid } from '../mintEuid.js';
import { recordChange, diffFields } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { findTemplate } from '../templates/findTemplate.js';
import { CreateObject, type CreateObjectInput } from './schemas.js';
import { auditedFields, objectEvents } from './objectEvents.js';
import { replaceReferences } from './references.js';

interface TemplateDefaults {
  layout?: { rows: number; columns: number };
  properties?: JsonObject;
}

export async function createObject(tx: Tx, actor: Actor, raw: CreateObjectInput): Promise<ObjectRow> {
  const input = parseInput(CreateObject, raw);
  const template = await findTemplate(tx, input);
  const defaults = (template.defaults ?? {}) as TemplateDefaults;

  const properties = { ...(defaults.properties ?? {}), ...(input.properties ?? {}) };
  const issues = checkProperties(template.schema as PropertySchema, properties);
  if (issues.length) throw badInput(`${issues[0].path.join('.')}: ${issues[0].message}`, issues);

  const isContainer = template.category === 'container';
  if (input.layout && !isContainer) throw badInput('layout: only containers have a layout', [{ path: ['layout'], message: 'only containers have a layout' }]);
  if (input.layout && defaults.layout && (input.layout.rows !== defaults.layout.rows || input.layout.columns !== defaults.layout.columns)) {
    throw badInput(`layout: template ${template.euid} fixes the layout at ${defaults.layout.rows}×${defaults.layout.columns}`, [{ path: ['layout'], message: 'fixed by template' }]);
  }
  const layout = isContainer ? (defaults.layout ?? input.layout) : undefined;

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
