import type { Tx } from '../../db/prisma.js';

/** Deletes an object's references of `provider` whose type is not in `keep` (replace-all semantics with replaceReferences). */
export async function removeReferences(tx: Tx, objectId: number, provider: string, keep: string[]): Promise<number> {
  const { count } = await tx.externalReference.deleteMany({ where: { objectId, provider, refType: { notIn: keep } } });
  return count;
}
