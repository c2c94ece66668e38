import type { Tx, TemplateRow } from '../../db/prisma.js';
import { notFound } from '../../errors/index.js';

export async function findTemplate(tx: Tx, ref: { templateCode?: string; templateEuid?: string }): Promise<TemplateRow> {
  if (ref.templateEuid) {
    const t = await tx.template.findUnique({ where: { euid: ref.templateEuid } });
    if (!t || t.deletedAt) throw notFound('Template', ref.templateEuid);
    return t;
  }
  const code = ref.templateCode ?? '';
  const [category, type, subtype, version] = code.split('/');
  const t = await tx.template.findUnique({
    where: { category_type_subtype_version: { category, type, subtype, version } },
  });
  if (!t || t.deletedAt) throw notFound('Template', code);
  return t;
}
