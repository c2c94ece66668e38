import type { Tx, ObjectRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { updateObject } from '../objects/updateObject.js';
import type { UpdateObjectInput } from '../objects/schemas.js';
import { findLiveSubject } from './readSubjects.js';

/** updateObject, for a live subject only (anything else is "Subject not found: X"). */
export async function updateSubject(tx: Tx, actor: Actor, input: UpdateObjectInput): Promise<ObjectRow> {
  await findLiveSubject(tx, input.euid);
  return updateObject(tx, actor, input);
}
