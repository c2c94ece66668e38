import type { Tx, ObjectRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { isJsonObject, type JsonObject } from '../../domain/properties.js';
import { findLiveObject } from '../objects/findObject.js';
import { updateObject } from '../objects/updateObject.js';
import type { UpdateObjectInput } from '../objects/schemas.js';

export type UpdateContainerInput = Pick<UpdateObjectInput, 'euid' | 'name' | 'status' | 'barcode' | 'properties'> & {
  /** Merged one level deep into `properties.metadata` (Bloom's container metadata). */
  metadata?: JsonObject;
};

/**
 * updateObject for a container addressed as one ("Container not found: X"), with
 * Bloom's `metadata` merged into the current `properties.metadata` under the row
 * lock, so concurrent metadata updates do not lose each other's keys.
 */
export async function updateContainer(tx: Tx, actor: Actor, input: UpdateContainerInput): Promise<ObjectRow> {
  const current = await findLiveObject(tx, input.euid, { lock: true, label: 'Container' });
  let properties = input.properties;
  if (input.metadata) {
    const props = current.properties as JsonObject;
    const before = isJsonObject(props.metadata) ? props.metadata : {};
    const given = properties && isJsonObject(properties.metadata) ? properties.metadata : {};
    properties = { ...(properties ?? {}), metadata: { ...before, ...given, ...input.metadata } };
  }
  return updateObject(tx, actor, { euid: input.euid, name: input.name, status: input.status, barcode: input.barcode, properties });
}
