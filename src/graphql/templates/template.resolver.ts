import { Authorized, Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { Template } from './template.type.js';

@Resolver(() => Template)
export class TemplateResolver {
  @Authorized('objects:read')
  @Query(() => [Template], { description: 'Templates, optionally of one category.' })
  async templates(
    @Arg('category', () => String, { nullable: true }) category: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Template[]> {
    const rows = await ctx.db.prisma.template.findMany({
      where: { deletedAt: null, ...(category ? { category } : {}) },
      orderBy: [{ category: 'asc' }, { type: 'asc' }, { subtype: 'asc' }, { version: 'asc' }],
    });
    return rows.map((r) => Template.from(r));
  }

  @Authorized('objects:read')

  @Query(() => Template, { nullable: true, description: 'A template by EUID or by code (category/type/subtype/version).' })
  async template(@Arg('ref', () => ID) ref: string, @Ctx() ctx: RequestContext): Promise<Template | null> {
    const [category, type, subtype, version] = ref.split('/');
    const row = version
      ? await ctx.db.prisma.template.findUnique({ where: { category_type_subtype_version: { category, type, subtype, version } } })
      : await ctx.db.prisma.template.findUnique({ where: { euid: ref } });
    return row && !row.deletedAt ? Template.from(row) : null;
  }
}
