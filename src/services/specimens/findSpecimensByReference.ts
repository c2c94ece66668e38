// Bloom's GET /external/specimens/by-reference (§1.11): live content matching
// every given Atlas reference (keys ANDed on one object), either itself or
// through the container it is placed in (soft deletes remove placements). Sorted by EUID, no paging. Each key
// is one EXISTS on the indexed external_reference (ref_type, ref_value).
import type { Database } from '../../db/database.js';
import type { PrismaTypes } from '../../db/prisma.js';
import { ATLAS_PROVIDER, type AtlasRefs } from './atlasRefs.js';
import { SPECIMEN_INCLUDE, toExternalSpecimen, type ExternalSpecimen } from './readExternalSpecimens.js';

export async function findSpecimensByReference(db: Database, refs: AtlasRefs): Promise<ExternalSpecimen[]> {
  const entries = Object.entries(refs).filter((e): e is [string, string] => Boolean(e[1]));
  if (!entries.length) return [];
  const holdsAll: PrismaTypes.MaterialObjectWhereInput[] = entries.map(([refType, refValue]) => ({
    references: { some: { provider: ATLAS_PROVIDER, refType, refValue } },
  }));
  const rows = await db.prisma.materialObject.findMany({
    where: {
      category: 'content',
      deletedAt: null,
      OR: [{ AND: holdsAll }, { placement: { container: { deletedAt: null, AND: holdsAll } } }],
    },
    include: SPECIMEN_INCLUDE,
    orderBy: { euid: 'asc' },
  });
  return rows.map(toExternalSpecimen);
}
