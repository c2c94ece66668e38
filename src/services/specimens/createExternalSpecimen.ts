// Bloom's POST /external/specimens (§1.11): a specimen from a 4-part template
// code, placed in the given container or in a new one named "<name> container",
// carrying its Atlas references. With an idempotency key, Bloom's own replay:
// the live content whose properties.external_idempotency_key is the key is
// answered in its current state (created: false), whoever asks and whatever the
// body. The key is locked for the transaction (pg_advisory_xact_lock) before it
// is looked up, so two racing requests with one key cannot both create.
import { z } from 'zod';
import type { Tx, ObjectRow, TemplateRow } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { AppError } from '../../errors/index.js';
import type { JsonObject } from '../../domain/properties.js';
import { parseInput } from '../validate.js';
import { findTemplate } from '../templates/findTemplate.js';
import { createObject } from '../objects/createObject.js';
import { placeInContainer } from '../containers/placeInContainer.js';
import { properties as propertiesSchema } from '../objects/schemas.js';
import { asReferences, requiredAtlasRefs } from './atlasRefs.js';
import { loadExternalSpecimen, type ExternalSpecimen } from './readExternalSpecimens.js';

export const IDEMPOTENCY_PROPERTY = 'external_idempotency_key';

const optionalText = z.string().nullish().transform((s) => s?.trim() || undefined);

export const CreateExternalSpecimen = z.object({
  /** The trimmed Idempotency-Key header; absent or blank = always create. */
  idempotencyKey: optionalText,
  specimenTemplateCode: z.string().default('content/specimen/generic/1.0'),
  specimenName: optionalText,
  containerEuid: optionalText,
  containerTemplateCode: z.string().default('container/tube/generic/1.0'),
  status: z.string().default('active'),
  properties: propertiesSchema.default({}),
  atlasRefs: z.record(z.string(), z.string().nullish()),
});
export type CreateExternalSpecimenInput = z.input<typeof CreateExternalSpecimen>;

export interface CreatedExternalSpecimen extends ExternalSpecimen {
  created: boolean;
}

const LOCK_NAMESPACE = 'external_specimen:';

/** The live content that already holds `key`, after taking the key's transaction lock. */
async function claimKey(tx: Tx, key: string): Promise<ObjectRow | null> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, LOCK_NAMESPACE + key);
  // Spelled exactly like the partial expression index (migration specimen_key_index) so the planner uses it.
  const [hit] = await tx.$queryRawUnsafe<{ id: number }[]>(
    `SELECT min(id) AS id FROM material_object
      WHERE category = 'content' AND deleted_at IS NULL AND properties ? '${IDEMPOTENCY_PROPERTY}'
        AND properties ->> '${IDEMPOTENCY_PROPERTY}' = $1`,
    key,
  );
  return hit?.id != null ? tx.materialObject.findUnique({ where: { id: hit.id } }) : null;
}

/** A template by Bloom's 4-part code; every failure is Bloom's ValueError (400). */
async function templateByCode(tx: Tx, raw: string, category: 'content' | 'container'): Promise<TemplateRow> {
  const code = raw.trim().replace(/^\/+|\/+$/g, '');
  const parts = code.split('/');
  if (parts.length !== 4 || parts.some((p) => !p)) {
    throw new AppError('BAD_REQUEST', `Template code must be category/type/subtype/version: ${raw}`, 'invalid_template_code');
  }
  let template: TemplateRow;
  try {
    template = await findTemplate(tx, { templateCode: code });
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') throw new AppError('BAD_REQUEST', err.message, 'template_not_found');
    throw err;
  }
  if (template.category !== category) {
    throw new AppError('BAD_REQUEST', `Template is not a ${category} template: ${code}`, 'wrong_template_category');
  }
  return template;
}

/** A live container by EUID, or Bloom's 400s. */
export async function containerForSpecimen(tx: Tx, euid: string): Promise<ObjectRow> {
  const row = await tx.materialObject.findUnique({ where: { euid } });
  if (!row || row.deletedAt) throw new AppError('BAD_REQUEST', `Container not found: ${euid}`, 'container_not_found');
  if (row.category !== 'container') throw new AppError('BAD_REQUEST', `EUID is not a container: ${euid}`, 'not_a_container');
  return row;
}

export async function createExternalSpecimen(tx: Tx, actor: Actor, raw: CreateExternalSpecimenInput): Promise<CreatedExternalSpecimen> {
  const input = parseInput(CreateExternalSpecimen, raw);
  const key = input.idempotencyKey;
  if (key) {
    const existing = await claimKey(tx, key);
    if (existing) return { ...(await loadExternalSpecimen(tx, existing.id)), created: false };
  }

  const refs = requiredAtlasRefs(input.atlasRefs);
  const specimenTemplate = await templateByCode(tx, input.specimenTemplateCode, 'content');
  const given = input.containerEuid ? await containerForSpecimen(tx, input.containerEuid) : null;
  const containerTemplate = given ? null : await templateByCode(tx, input.containerTemplateCode, 'container');

  const properties: JsonObject = { ...input.properties };
  if (input.specimenName) properties.name = input.specimenName;
  if (key) properties[IDEMPOTENCY_PROPERTY] = key;
  const specimen = await createObject(tx, actor, {
    templateEuid: specimenTemplate.euid,
    name: input.specimenName,
    status: input.status,
    properties,
    references: asReferences(refs),
  });

  let containerEuid = given?.euid;
  if (!containerEuid) {
    const name = `${specimen.name} container`;
    containerEuid = (await createObject(tx, actor, { templateEuid: containerTemplate!.euid, name, properties: { name } })).euid;
  }
  await placeInContainer(tx, actor, { containerEuid, contentEuid: specimen.euid });
  return { ...(await loadExternalSpecimen(tx, specimen.id)), created: true };
}
