// Any EUID of the graph: a live object, a template (BGT-…) or a lineage edge
// (EDG-…), resolved the way GraphQL `node` resolves it.
import type { Database } from '../../db/database.js';
import type { EdgeRow, ObjectRow, TemplateRow } from '../../db/prisma.js';
import { PREFIX, euidPrefix } from '../../domain/euid.js';

export type GraphObject =
  | { kind: 'instance'; object: ObjectRow; templateVersion: string }
  | { kind: 'template'; template: TemplateRow }
  | { kind: 'lineage'; edge: EdgeRow; parentEuid: string; childEuid: string };

export async function findGraphObject(db: Database, euid: string): Promise<GraphObject | null> {
  const prefix = euidPrefix(euid);
  if (prefix === PREFIX.edge) {
    const e = await db.prisma.lineageEdge.findUnique({
      where: { euid },
      include: { parent: { select: { euid: true } }, child: { select: { euid: true } } },
    });
    if (!e) return null;
    const { parent, child, ...edge } = e;
    return { kind: 'lineage', edge, parentEuid: parent.euid, childEuid: child.euid };
  }
  if (prefix === PREFIX.template) {
    const t = await db.prisma.template.findUnique({ where: { euid } });
    return t && !t.deletedAt ? { kind: 'template', template: t } : null;
  }
  const o = await db.prisma.materialObject.findUnique({ where: { euid }, include: { template: { select: { version: true } } } });
  if (!o || o.deletedAt) return null;
  const { template, ...object } = o;
  return { kind: 'instance', object, templateVersion: template.version };
}
