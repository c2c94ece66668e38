import type { Tx } from '../../db/prisma.js';

export interface ReferenceInput {
  provider: string;
  type: string;
  value: string;
}

/** Sets the given (provider, type) references of an object; other references stay. */
export async function replaceReferences(tx: Tx, objectId: number, refs: ReferenceInput[]): Promise<void> {
  for (const r of refs) {
    await tx.externalReference.upsert({
      where: { objectId_provider_refType: { objectId, provider: r.provider, refType: r.type } },
      create: { objectId, provider: r.provider, refType: r.type, refValue: r.value },
      update: { refValue: r.value },
    });
  }
}

/** An object's references as sorted `provider:type=value` strings (audit diffs). */
export async function referenceList(tx: Tx, objectId: number): Promise<string[]> {
  const refs = await tx.externalReference.findMany({ where: { objectId }, select: { provider: true, refType: true, refValue: true } });
  return refs.map((r) => `${r.provider}:${r.refType}=${r.refValue}`).sort();
}
