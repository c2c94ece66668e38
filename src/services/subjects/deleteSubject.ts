import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { deleteObject, type DeleteResult } from '../objects/deleteObject.js';
import type { DeleteObjectInput } from '../objects/schemas.js';
import { findLiveSubject } from './readSubjects.js';

/** deleteObject, for a live subject only (anything else is "Subject not found: X"). */
export async function deleteSubject(tx: Tx, actor: Actor, input: DeleteObjectInput): Promise<DeleteResult> {
  await findLiveSubject(tx, input.euid);
  return deleteObject(tx, actor, input);
}
