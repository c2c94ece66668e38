// createObject's rules for one input, before anything is written: template
// defaults merged under the given properties, the template's property schema, and
// the layout (containers only; a template's fixed layout wins). Shared by the
// single and the bulk create so both doors apply exactly the same rules.
import type { z } from 'zod';
import type { TemplateRow } from '../../db/prisma.js';
import { badInput } from '../../errors/index.js';
import { checkProperties, type JsonObject, type PropertySchema } from '../../domain/properties.js';
import type { CreateObject } from './schemas.js';

interface TemplateDefaults {
  layout?: { rows: number; columns: number };
  properties?: JsonObject;
}

export interface PlannedObject {
  template: TemplateRow;
  input: z.infer<typeof CreateObject>;
  properties: JsonObject;
  layout?: { rows: number; columns: number };
}

export function planObject(template: TemplateRow, input: PlannedObject['input']): PlannedObject {
  const defaults = (template.defaults ?? {}) as TemplateDefaults;
  const properties = { ...(defaults.properties ?? {}), ...(input.properties ?? {}) } as JsonObject;
  const issues = checkProperties(template.schema as PropertySchema, properties);
  if (issues.length) throw badInput(`${issues[0].path.join('.')}: ${issues[0].message}`, issues);
  const isContainer = template.category === 'container';
  if (input.layout && !isContainer) throw badInput('layout: only containers have a layout', [{ path: ['layout'], message: 'only containers have a layout' }]);
  if (input.layout && defaults.layout && (input.layout.rows !== defaults.layout.rows || input.layout.columns !== defaults.layout.columns)) {
    throw badInput(`layout: template ${template.euid} fixes the layout at ${defaults.layout.rows}×${defaults.layout.columns}`, [{ path: ['layout'], message: 'fixed by template' }]);
  }
  return { template, input, properties, layout: isContainer ? (defaults.layout ?? input.layout) : undefined };
}
