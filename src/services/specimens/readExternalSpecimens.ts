// External specimens as Bloom's ExternalSpecimen reads them (§1.11): the content
// object, the container it is placed in, and the Atlas references of both.
import type { Database } from '../../db/database.js';
import type { ObjectRow, PrismaTypes, Tx } from '../../db/prisma.js';
import { AppError, notFound } from '../../errors/index.js';
import { ATLAS_PROVIDER } from './atlasRefs.js';

export interface ExternalSpecimen {
  specimen: ObjectRow;
  /** The live container holding the specimen, or null. */
  containerEuid: string | null;
  /** The container's Atlas references overlaid with the specimen's own. */
  atlasRefs: Record<string, string>;
}

const atlasRefs = { where: { provider: ATLAS_PROVIDER }, orderBy: { refType: 'asc' } } as const;

export const SPECIMEN_INCLUDE = {
  references: atlasRefs,
  placement: { include: { container: { include: { references: atlasRefs } } } },
} satisfies PrismaTypes.MaterialObjectInclude;

type SpecimenWithLinks = PrismaTypes.MaterialObjectGetPayload<{ include: typeof SPECIMEN_INCLUDE }>;

export function toExternalSpecimen(row: SpecimenWithLinks): ExternalSpecimen {
  const { references, placement, ...specimen } = row;
  const container = placement && !placement.container.deletedAt ? placement.container : null;
  const refs: Record<string, string> = {};
  for (const r of [...(container?.references ?? []), ...references]) refs[r.refType] = r.refValue;
  return { specimen, containerEuid: container?.euid ?? null, atlasRefs: refs };
}

/** The view of one object by internal id (inside a write transaction or not). */
export async function loadExternalSpecimen(client: Tx, id: number): Promise<ExternalSpecimen> {
  return toExternalSpecimen(await client.materialObject.findUniqueOrThrow({ where: { id }, include: SPECIMEN_INCLUDE }));
}

/** A live content object by EUID; 404 "Specimen not found: X" or "EUID is not a specimen content object: X". */
export async function findExternalSpecimen(db: Database, euid: string): Promise<ExternalSpecimen> {
  const row = await db.prisma.materialObject.findUnique({ where: { euid }, include: SPECIMEN_INCLUDE });
  if (!row || row.deletedAt) throw notFound('Specimen', euid);
  if (row.category !== 'content') throw new AppError('NOT_FOUND', `EUID is not a specimen content object: ${euid}`, 'not_a_specimen');
  return toExternalSpecimen(row);
}
