// Subjects (patients, donors, study subjects) are objects of category `subject`.
// Reads here; writes in createSubject / updateSubject / deleteSubject.
import type { Database } from '../../db/database.js';
import type { ObjectRow, Tx } from '../../db/prisma.js';
import { notFound } from '../../errors/index.js';
import { findLiveObject } from '../objects/findObject.js';
import { findObjectByEuid, listObjectsByOffset } from '../objects/readObjects.js';

export const SUBJECT_CATEGORY = 'subject';
/** Content types a subject's specimens list holds. */
export const SPECIMEN_TYPES: readonly string[] = ['specimen', 'sample'];

/** A live subject by EUID, or null (another category is not a subject). */
export async function findSubjectByEuid(db: Database, euid: string): Promise<ObjectRow | null> {
  const row = await findObjectByEuid(db, euid);
  return row && row.category === SUBJECT_CATEGORY ? row : null;
}

/** Inside a write: the live subject or NOT_FOUND "Subject not found: X". */
export async function findLiveSubject(tx: Tx, euid: string): Promise<ObjectRow> {
  const row = await findLiveObject(tx, euid, { label: 'Subject' });
  if (row.category !== SUBJECT_CATEGORY) throw notFound('Subject', euid);
  return row;
}

export function listSubjectsByOffset(db: Database, filter: { subtype?: string; status?: string }, offset: number, limit: number) {
  return listObjectsByOffset(db, { ...filter, category: SUBJECT_CATEGORY }, offset, limit);
}

/**
 * The subject's specimens: its live lineage children of category content whose
 * type is specimen or sample, each once, in the order they were linked.
 */
export async function listSubjectSpecimens(db: Database, euid: string): Promise<{ subject: ObjectRow; specimens: ObjectRow[] }> {
  const subject = await findSubjectByEuid(db, euid);
  if (!subject) throw notFound('Subject', euid);
  const edges = await db.prisma.lineageEdge.findMany({
    where: { parentId: subject.id, child: { deletedAt: null, category: 'content', type: { in: [...SPECIMEN_TYPES] } } },
    include: { child: true },
    orderBy: { id: 'asc' },
  });
  const seen = new Set<number>();
  const specimens = edges.map((e) => e.child).filter((c) => !seen.has(c.id) && seen.add(c.id));
  return { subject, specimens };
}
