import { Authorized, Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { notFound } from '../../errors/index.js';
import { write } from '../../services/write.js';
import { linkLineage } from '../../services/lineage/linkLineage.js';
import { unlinkLineage } from '../../services/lineage/unlinkLineage.js';
import { traverseLineage } from '../../services/lineage/traverseLineage.js';
import { DeletePayload } from '../common/deletePayload.type.js';
import { JSONObjectScalar } from '../common/scalars.js';
import { MaterialObject, toObject } from '../objects/object.type.js';
import { LineageDirection, LineageEdge, LineageGraph } from './lineage.type.js';

@InputType()
export class LinkLineageInput {
  @Field(() => ID) parentEuid!: string;
  @Field(() => ID) childEuid!: string;
  @Field(() => String, { nullable: true, defaultValue: 'generic' }) relationshipType?: string;
  @Field(() => JSONObjectScalar, { nullable: true }) properties?: Record<string, unknown>;
}

@Resolver(() => LineageEdge)
export class LineageResolver {
  @Authorized('lineage:read')
  @Query(() => LineageGraph, { description: 'Ancestors, descendants or both of an object, to a depth; one SQL statement.' })
  async lineage(
    @Arg('euid', () => ID) euid: string,
    @Arg('direction', () => LineageDirection, { defaultValue: LineageDirection.BOTH }) direction: LineageDirection,
    @Arg('depth', () => Int, { defaultValue: 3 }) depth: number,
    @Arg('relationshipTypes', () => [String], { nullable: true }) relationshipTypes: string[] | null,
    @Ctx() ctx: RequestContext,
  ): Promise<LineageGraph> {
    const r = await traverseLineage(ctx.db, { euid, direction, depth, relationshipTypes }, ctx.config.lineageMaxDepth);
    // Rows the traversal already read: object loads for them (edge parent/child, parents…) cost no SQL.
    ctx.loaders.knownObjects(r.root);
    for (const n of r.nodes) ctx.loaders.knownObjects(n);
    const graph = Object.assign(new LineageGraph(), {
      root: toObject(r.root),
      nodes: r.nodes.map(toObject),
      edges: r.edges.map((e) => LineageEdge.from(e)),
    });
    // Built only when the selection asks for it.
    let distances: LineageGraph['distances'] | undefined;
    Object.defineProperty(graph, 'distances', {
      enumerable: true,
      get: () => (distances ??= r.nodes.map((n) => ({ euid: n.euid, distance: n.distance }))),
    });
    return graph;
  }

  @Authorized('lineage:write')

  @Mutation(() => LineageEdge)
  async linkLineage(@Arg('input', () => LinkLineageInput) input: LinkLineageInput, @Ctx() ctx: RequestContext): Promise<LineageEdge> {
    return LineageEdge.from(await write(ctx, 'linkLineage', input, linkLineage));
  }

  @Authorized('lineage:write')

  @Mutation(() => DeletePayload)
  async unlinkLineage(@Arg('euid', () => ID) euid: string, @Ctx() ctx: RequestContext): Promise<DeletePayload> {
    const r = await write(ctx, 'unlinkLineage', { euid }, unlinkLineage);
    return DeletePayload.of(r.euid, true);
  }

  @FieldResolver(() => MaterialObject)
  async parent(@Root() e: LineageEdge, @Ctx() ctx: RequestContext): Promise<MaterialObject> {
    const row = await ctx.loaders.objectByEuid.load(e.parentEuid);
    if (!row) throw notFound('Object', e.parentEuid);
    return toObject(row);
  }

  @FieldResolver(() => MaterialObject)
  async child(@Root() e: LineageEdge, @Ctx() ctx: RequestContext): Promise<MaterialObject> {
    const row = await ctx.loaders.objectByEuid.load(e.childEuid);
    if (!row) throw notFound('Object', e.childEuid);
    return toObject(row);
  }
}
