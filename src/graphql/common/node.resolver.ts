import { Authorized, Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { Node } from './node.type.js';
import { toObject } from '../objects/object.type.js';
import { LineageEdge } from '../lineage/lineage.type.js';
import { Template } from '../templates/template.type.js';
import { euidPrefix, PREFIX } from '../../domain/euid.js';

@Resolver()
export class NodeResolver {
  @Authorized('objects:read')
  @Query(() => Node, { nullable: true, description: 'Any object, lineage edge or template by its id (EUID).' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Node | null> {
    const prefix = euidPrefix(id);
    if (prefix === PREFIX.edge) {
      const e = await ctx.db.prisma.lineageEdge.findUnique({
        where: { euid: id },
        include: { parent: { select: { euid: true } }, child: { select: { euid: true } } },
      });
      return e ? LineageEdge.from({ ...e, parentEuid: e.parent.euid, childEuid: e.child.euid }) : null;
    }
    if (prefix === PREFIX.template) {
      const t = await ctx.db.prisma.template.findUnique({ where: { euid: id } });
      return t && !t.deletedAt ? Template.from(t) : null;
    }
    const row = await ctx.loaders.objectByEuid.load(id);
    return row && !row.deletedAt ? toObject(row) : null;
  }
}
