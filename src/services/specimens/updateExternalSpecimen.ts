// Bloom's PATCH /external/specimens/{euid} (§1.11): name (mirrored to
// properties.name), status, properties (shallow merge), Atlas references
// (replace all) and the container. A content object sits in one container at a
// time here, so a new container_euid moves the specimen (Bloom adds a second
// `contains` link and keeps the old one).
import { z } from 'zod';
import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { AppError } from '../../errors/index.js';
import type { JsonObject } from '../../domain/properties.js';
import { parseInput } from '../validate.js';
import { updateObject } from '../objects/updateObject.js';
import { removeReferences } from '../objects/removeReferences.js';
import { findLiveObject } from '../objects/findObject.js';
import { placeInContainer } from '../containers/placeInContainer.js';
import { removeFromContainer } from '../containers/removeFromContainer.js';
import { properties as propertiesSchema } from '../objects/schemas.js';
import { ATLAS_PROVIDER, asReferences, requiredAtlasRefs } from './atlasRefs.js';
import { containerForSpecimen } from './createExternalSpecimen.js';
import { loadExternalSpecimen, type ExternalSpecimen } from './readExternalSpecimens.js';

const optionalText = z.string().nullish().transform((s) => s?.trim() || undefined);

export const UpdateExternalSpecimen = z.object({
  euid: z.string().min(1),
  specimenName: optionalText,
  status: z.string().nullish().transform((s) => s ?? undefined),
  containerEuid: optionalText,
  properties: propertiesSchema.nullish(),
  atlasRefs: z.record(z.string(), z.string().nullish()).nullish(),
});
export type UpdateExternalSpecimenInput = z.input<typeof UpdateExternalSpecimen>;

export async function updateExternalSpecimen(tx: Tx, actor: Actor, raw: UpdateExternalSpecimenInput): Promise<ExternalSpecimen> {
  const input = parseInput(UpdateExternalSpecimen, raw);
  const specimen = await findLiveObject(tx, input.euid, { lock: true, label: 'Specimen' });
  if (specimen.category !== 'content') throw new AppError('BAD_REQUEST', `EUID is not a specimen content object: ${input.euid}`, 'not_a_specimen');

  const refs = input.atlasRefs ? requiredAtlasRefs(input.atlasRefs) : undefined;
  const container = input.containerEuid ? await containerForSpecimen(tx, input.containerEuid) : undefined;

  const properties: JsonObject | undefined =
    input.properties && Object.keys(input.properties).length ? { ...input.properties } : input.specimenName ? {} : undefined;
  if (input.specimenName) properties!.name = input.specimenName;
  if (input.specimenName || input.status !== undefined || properties || refs) {
    if (refs) await removeReferences(tx, specimen.id, ATLAS_PROVIDER, Object.keys(refs));
    await updateObject(tx, actor, {
      euid: specimen.euid,
      name: input.specimenName,
      status: input.status,
      properties,
      references: refs ? asReferences(refs) : undefined,
    });
  }

  if (container) {
    const placed = await tx.placement.findUnique({ where: { contentId: specimen.id }, include: { container: { select: { euid: true } } } });
    if (placed?.container.euid !== container.euid) {
      if (placed) await removeFromContainer(tx, actor, { containerEuid: placed.container.euid, contentEuid: specimen.euid });
      await placeInContainer(tx, actor, { containerEuid: container.euid, contentEuid: specimen.euid });
    }
  }
  return loadExternalSpecimen(tx, specimen.id);
}
