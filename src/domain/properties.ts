// Instance properties are JSON objects checked against their template's field list.
import type { FieldIssue } from '../errors/index.js';

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

export interface FieldDef {
  name: string;
  type: FieldType;
  required?: boolean;
  enum?: (string | number)[];
  min?: number;
}

export interface PropertySchema {
  fields?: FieldDef[];
  /** Allow properties the template does not declare (default true). */
  additionalProperties?: boolean;
}

export type JsonObject = { [key: string]: unknown };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOk(type: FieldType, v: unknown): boolean {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return Number.isInteger(v);
    case 'boolean': return typeof v === 'boolean';
    case 'object': return isJsonObject(v);
    case 'array': return Array.isArray(v);
  }
}

/** Issues for `props` against `schema`; empty when valid. Paths are relative to `properties`. */
export function checkProperties(schema: PropertySchema, props: JsonObject): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const fields = schema.fields ?? [];
  const known = new Set(fields.map((f) => f.name));
  for (const f of fields) {
    const v = props[f.name];
    if (v === undefined || v === null) {
      if (f.required) issues.push({ path: ['properties', f.name], message: 'Field required' });
      continue;
    }
    if (!typeOk(f.type, v)) {
      issues.push({ path: ['properties', f.name], message: `Expected ${f.type}` });
      continue;
    }
    if (f.enum && !f.enum.includes(v as string | number)) {
      issues.push({ path: ['properties', f.name], message: `Expected one of: ${f.enum.join(', ')}` });
    }
    if (f.min !== undefined && typeof v === 'number' && v < f.min) {
      issues.push({ path: ['properties', f.name], message: `Must be ≥ ${f.min}` });
    }
  }
  if (schema.additionalProperties === false) {
    for (const k of Object.keys(props)) {
      if (!known.has(k)) issues.push({ path: ['properties', k], message: 'Unknown property' });
    }
  }
  return issues;
}

/** Shallow merge where a null value removes the key (JSON merge-patch, one level). */
export function mergeProperties(current: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}
