import type { ObjectRow } from '../../db/prisma.js';
import type { ChangeEvent } from '../recordChange.js';
import type { EventType } from '../../events/catalog.js';
import { integrationEvents } from '../integrations/events.js';

/** Thin event payload: identity and classification; receivers read the full record. */
export function objectEventData(row: ObjectRow): Record<string, unknown> {
  return {
    euid: row.euid,
    category: row.category,
    type: row.type,
    subtype: row.subtype,
    name: row.name,
    status: row.status,
    externalId: row.externalId,
  };
}

/** `before` (updates) lets the bioAF-named events say which fields changed. */
export function objectEvents(
  row: ObjectRow,
  action: 'created' | 'updated' | 'deleted',
  extra: Record<string, unknown> = {},
  before?: ObjectRow,
): ChangeEvent[] {
  const types: EventType[] = [`object.${action}`];
  if (action === 'created' && row.category === 'container') types.push('container.created');
  if (action === 'created' && row.category === 'content') types.push('content.created');
  if (row.category === 'content' && row.type === 'specimen' && action !== 'deleted') types.push(`specimen.${action}`);
  const data = { ...objectEventData(row), ...extra };
  return [...types.map((type) => ({ type, euid: row.euid, externalId: row.externalId, data })), ...integrationEvents(row, action, before)];
}

/** The audited view of an object: the fields a change can touch. */
export function auditedFields(row: ObjectRow): Record<string, unknown> {
  return {
    name: row.name,
    status: row.status,
    externalId: row.externalId,
    barcode: row.barcode,
    properties: row.properties,
    deleted: row.deletedAt !== null,
  };
}
