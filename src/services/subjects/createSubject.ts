import type { Tx, ObjectRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { AppError } from '../../errors/index.js';
import type { JsonObject } from '../../domain/properties.js';
import { createObject } from '../objects/createObject.js';
import { findTemplate } from '../templates/findTemplate.js';
import { SUBJECT_CATEGORY } from './readSubjects.js';

export interface CreateSubjectInput {
  templateEuid: string;
  name?: string;
  externalId?: string;
  properties?: JsonObject;
}

/**
 * A subject from a subject template, through createObject. `externalId` is the
 * object's first-class external id and is mirrored in `properties.external_id`,
 * where Bloom clients read it.
 */
export async function createSubject(tx: Tx, actor: Actor, input: CreateSubjectInput): Promise<ObjectRow> {
  const template = await findTemplate(tx, { templateEuid: input.templateEuid });
  if (template.category !== SUBJECT_CATEGORY) {
    throw new AppError('BAD_REQUEST', `Template is not a subject template: ${input.templateEuid}`, 'not_a_subject_template');
  }
  const properties = input.externalId === undefined ? input.properties : { ...(input.properties ?? {}), external_id: input.externalId };
  return createObject(tx, actor, { templateEuid: template.euid, name: input.name, externalId: input.externalId, properties });
}
