import { Authorized, Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { notFound } from '../../errors/index.js';
import { write } from '../../services/write.js';
import { placeInContainer } from '../../services/containers/placeInContainer.js';
import { removeFromContainer } from '../../services/containers/removeFromContainer.js';
import { allPositions } from '../../domain/wells.js';
import { DeletePayload } from '../common/deletePayload.type.js';
import { Container, MaterialObject, toObject } from '../objects/object.type.js';
import { Placement } from './placement.type.js';
import { ObjectType } from 'type-graphql';

@InputType()
export class PlaceInput {
  @Field(() => ID) containerEuid!: string;
  @Field(() => ID) contentEuid!: string;
  @Field(() => String, { nullable: true, description: 'Well, A1…P24; required when the container has wells.' }) position?: string;
}

@InputType()
export class RemoveFromContainerInput {
  @Field(() => ID) containerEuid!: string;
  @Field(() => ID) contentEuid!: string;
}

@ObjectType({ description: 'One well of a container and what it holds.' })
export class Well {
  @Field(() => String) position!: string;
  @Field(() => MaterialObject, { nullable: true }) content!: MaterialObject | null;
}

@Resolver(() => Container)
export class ContainerResolver {
  @FieldResolver(() => [Placement], { description: 'What the container holds.' })
  async contents(@Root() c: Container, @Ctx() ctx: RequestContext): Promise<Placement[]> {
    const placements = await ctx.loaders.placementsByContainer.load(c.internalId);
    const contents = await ctx.loaders.objectById.loadMany(placements.map((p) => p.contentId));
    return placements.flatMap((p, i) => {
      const o = contents[i];
      return o && !(o instanceof Error) ? [Placement.from(p, c.euid, o.euid)] : [];
    });
  }

  @FieldResolver(() => [Well], { description: 'Every well in row-major order (A1, A2 …), empty ones included. Empty for containers without wells.' })
  async wells(@Root() c: Container, @Ctx() ctx: RequestContext): Promise<Well[]> {
    if (!c.layout) return [];
    const placements = await ctx.loaders.placementsByContainer.load(c.internalId);
    const contents = await ctx.loaders.objectById.loadMany(placements.map((p) => p.contentId));
    const byPosition = new Map<string, MaterialObject>();
    placements.forEach((p, i) => {
      const o = contents[i];
      if (p.position && o && !(o instanceof Error)) byPosition.set(p.position, toObject(o));
    });
    return allPositions(c.layout).map((position) => ({ position, content: byPosition.get(position) ?? null }));
  }

  @Authorized('objects:write')

  @Mutation(() => Placement)
  async placeInContainer(@Arg('input', () => PlaceInput) input: PlaceInput, @Ctx() ctx: RequestContext): Promise<Placement> {
    const p = await write(ctx, 'placeInContainer', input, placeInContainer);
    return Placement.from(p, p.containerEuid, p.contentEuid);
  }

  @Authorized('objects:write')

  @Mutation(() => DeletePayload, { description: 'Takes content out of a container.' })
  async removeFromContainer(
    @Arg('input', () => RemoveFromContainerInput) input: RemoveFromContainerInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeletePayload> {
    const r = await write(ctx, 'removeFromContainer', input, removeFromContainer);
    return DeletePayload.of(r.euid, true);
  }
}

@Resolver(() => Placement)
export class PlacementResolver {
  @FieldResolver(() => Container)
  async container(@Root() p: Placement, @Ctx() ctx: RequestContext): Promise<MaterialObject> {
    const row = await ctx.loaders.objectById.load(p.containerId);
    if (!row) throw notFound('Container', p.containerEuid);
    return toObject(row);
  }

  @FieldResolver(() => MaterialObject)
  async content(@Root() p: Placement, @Ctx() ctx: RequestContext): Promise<MaterialObject> {
    const row = await ctx.loaders.objectById.load(p.contentId);
    if (!row) throw notFound('Content', p.contentEuid);
    return toObject(row);
  }
}
