// Custom fields are stored as one properties.custom_fields object (name → value)
// and read as bioAF's [{field_name, field_value}] list.
import type { ObjectRow } from '../../db/prisma.js';
import type { CustomFieldIn } from './schemas.js';
import { prop } from './model.js';

export type CustomFieldMap = Record<string, string>;

export function customFieldsOf(row: ObjectRow): CustomFieldMap {
  const v = prop(row, 'custom_fields');
  const out: CustomFieldMap = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  }
  return out;
}

/**
 * bioAF §3.6 delta: new names are added, known names updated, a null value
 * removes the name, names not mentioned stay. Null when nothing was sent (no-op).
 */
export function applyCustomFields(current: CustomFieldMap, delta: CustomFieldIn[] | null | undefined): CustomFieldMap | null {
  if (!delta?.length) return null;
  const out = { ...current };
  for (const f of delta) {
    if (f.field_value === null || f.field_value === undefined) delete out[f.field_name];
    else out[f.field_name] = f.field_value;
  }
  return out;
}

/** Sorted by name: jsonb keeps no insertion order, so the list order is defined here. */
export const customFieldList = (m: CustomFieldMap) =>
  Object.keys(m).sort().map((field_name) => ({ field_name, field_value: m[field_name] as string | null }));
