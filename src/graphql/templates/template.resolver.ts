import { Authorized, Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { findTemplateByRef, listTemplates } from '../../services/templates/readTemplates.js';
import { Template } from './template.type.js';

@Resolver(() => Template)
export class TemplateResolver {
  @Authorized('objects:read')
  @Query(() => [Template], { description: 'Templates, optionally of one category.' })
  async templates(
    @Arg('category', () => String, { nullable: true }) category: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Template[]> {
    return (await listTemplates(ctx.db, category)).map((r) => Template.from(r));
  }

  @Authorized('objects:read')
  @Query(() => Template, { nullable: true, description: 'A template by EUID or by code (category/type/subtype/version).' })
  async template(@Arg('ref', () => ID) ref: string, @Ctx() ctx: RequestContext): Promise<Template | null> {
    const row = await findTemplateByRef(ctx.db, ref);
    return row ? Template.from(row) : null;
  }
}
