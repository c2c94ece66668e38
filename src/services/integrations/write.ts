// Shared steps of the integration writes, on top of the object services (which
// mint the EUID, audit the change and record the events in the same transaction).
import type { Actor } from '../../auth/actor.js';
import type { ObjectRow, Tx } from '../../db/prisma.js';
import { conflict } from '../../errors/index.js';
import type { JsonObject } from '../../domain/properties.js';
import { createObject } from '../objects/createObject.js';
import { findLiveObject } from '../objects/findObject.js';
import { updateObject } from '../objects/updateObject.js';
import { applyCustomFields, customFieldsOf } from './customFields.js';
import type { CustomFieldIn } from './schemas.js';
import { CREATE_STATUS, MODELS } from './model.js';
import { findById, findByExternalId } from './find.js';

/** Drops absent and null values: only what was given is stored (and a PATCH never clears). */
export function given(fields: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
}

/** 409 before the insert; the unique index turns a lost race into the same 409 (toAppError). */
export async function refuseDuplicate(tx: Tx, kind: 'project' | 'experiment' | 'sample', externalId: string, scope = ''): Promise<void> {
  if (await findByExternalId(tx, kind, externalId, scope)) throw conflict('external_id already exists', 'external_id_already_exists');
}

export async function createResource(
  tx: Tx,
  actor: Actor,
  kind: 'project' | 'experiment' | 'sample',
  r: { name: string; externalId: string; scope?: string; properties: JsonObject; customFields?: CustomFieldIn[] | null },
): Promise<ObjectRow> {
  await refuseDuplicate(tx, kind, r.externalId, r.scope);
  const custom = applyCustomFields({}, r.customFields);
  return createObject(tx, actor, {
    templateCode: MODELS[kind].templateCode,
    name: r.name,
    externalId: r.externalId,
    externalScope: r.scope ?? '',
    status: CREATE_STATUS[kind],
    properties: { ...r.properties, ...(custom && Object.keys(custom).length ? { custom_fields: custom } : {}) },
  });
}

/** PATCH: 404 first, then the written fields (present and non-null) and the custom-field delta, under the row lock. */
export async function updateResource(
  tx: Tx,
  actor: Actor,
  kind: 'project' | 'experiment' | 'sample',
  id: number,
  r: { name?: string | null; properties: JsonObject; customFields?: CustomFieldIn[] | null },
): Promise<ObjectRow> {
  const found = await findById(tx, kind, id);
  const current = await findLiveObject(tx, found.euid, { lock: true });
  const custom = applyCustomFields(customFieldsOf(current), r.customFields);
  const properties = { ...r.properties, ...(custom ? { custom_fields: Object.keys(custom).length ? custom : null } : {}) };
  return updateObject(tx, actor, {
    euid: current.euid,
    name: r.name ?? undefined,
    properties: Object.keys(properties).length ? properties : undefined,
  });
}
