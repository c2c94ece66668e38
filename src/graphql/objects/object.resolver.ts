import { Authorized, Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { notFound } from '../../errors/index.js';
import { write } from '../../services/write.js';
import { createObject } from '../../services/objects/createObject.js';
import { updateObject } from '../../services/objects/updateObject.js';
import { deleteObject } from '../../services/objects/deleteObject.js';
import {
  countObjects, findObjectByEuid, findObjectByExternalId, listObjects, type ObjectFilterT,
} from '../../services/objects/readObjects.js';
import { encodeCursor } from '../../services/pagination.js';
import { DeletePayload } from '../common/deletePayload.type.js';
import { MaterialObject, toObject } from './object.type.js';
import { CreateObjectInput, ObjectFilter, UpdateObjectInput } from './object.input.js';
import { MaterialObjectConnection } from './objectConnection.type.js';
import { ObjectKind } from './objectKind.js';
import { Template } from '../templates/template.type.js';
import { Placement, ExternalReference } from '../containers/placement.type.js';
import { LineageEdge } from '../lineage/lineage.type.js';

@ArgsType()
class ObjectsArgs {
  @Field(() => ObjectFilter, { nullable: true }) filter?: ObjectFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'Page size, 0–500.' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

export function toFilter(f: ObjectFilter | undefined): ObjectFilterT {
  if (!f) return {};
  const { kind, category, ...rest } = f;
  return { ...rest, category: category ?? kind ?? undefined, includeDeleted: f.includeDeleted ?? false };
}

@Resolver(() => MaterialObject)
export class ObjectResolver {
  @Authorized('objects:read')
  @Query(() => MaterialObject, { nullable: true, description: 'Any object by EUID; null when missing or deleted.' })
  async object(@Arg('euid', () => ID) euid: string, @Ctx() ctx: RequestContext): Promise<MaterialObject | null> {
    const row = await findObjectByEuid(ctx.db, euid);
    return row ? toObject(row) : null;
  }

  @Authorized('objects:read')

  @Query(() => MaterialObject, { nullable: true })
  async objectByExternalId(
    @Arg('kind', () => ObjectKind) kind: ObjectKind,
    @Arg('externalId', () => String) externalId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<MaterialObject | null> {
    const row = await findObjectByExternalId(ctx.db, kind, externalId);
    return row ? toObject(row) : null;
  }

  @Authorized('objects:read')

  @Query(() => MaterialObjectConnection)
  async objects(@Args(() => ObjectsArgs) args: ObjectsArgs, @Ctx() ctx: RequestContext): Promise<MaterialObjectConnection> {
    const filter = toFilter(args.filter);
    const page = await listObjects(ctx.db, filter, { first: args.first, after: args.after });
    const nodes = page.items.map(toObject);
    return Object.assign(new MaterialObjectConnection(), {
      nodes,
      edges: nodes.map((node) => ({ cursor: encodeCursor(node.euid), node })),
      pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(args.after), startCursor: page.startCursor, endCursor: page.endCursor },
      filter,
    });
  }

  @Authorized('objects:write')

  @Mutation(() => MaterialObject)
  async createObject(@Arg('input', () => CreateObjectInput) input: CreateObjectInput, @Ctx() ctx: RequestContext): Promise<MaterialObject> {
    return toObject(await write(ctx, 'createObject', input, createObject));
  }

  @Authorized('objects:write')

  @Mutation(() => MaterialObject)
  async updateObject(
    @Arg('euid', () => ID) euid: string,
    @Arg('input', () => UpdateObjectInput) input: UpdateObjectInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MaterialObject> {
    return toObject(await write(ctx, 'updateObject', { ...input, euid }, updateObject));
  }

  @Authorized('objects:write')

  @Mutation(() => DeletePayload, { description: 'Soft delete by default; hard delete removes the row and its edges.' })
  async deleteObject(
    @Arg('euid', () => ID) euid: string,
    @Arg('hard', () => Boolean, { nullable: true, defaultValue: false }) hard: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<DeletePayload> {
    const r = await write(ctx, 'deleteObject', { euid, hard: hard ?? false }, deleteObject);
    return DeletePayload.of(r.euid, r.hard);
  }

  @FieldResolver(() => Template)
  async template(@Root() o: MaterialObject, @Ctx() ctx: RequestContext): Promise<Template> {
    const t = await ctx.loaders.templateById.load(o.templateId);
    if (!t) throw notFound('Template', String(o.euid));
    return Template.from(t);
  }

  @FieldResolver(() => Placement, { nullable: true, description: 'Where this object sits, if placed in a container.' })
  async placement(@Root() o: MaterialObject, @Ctx() ctx: RequestContext): Promise<Placement | null> {
    const p = await ctx.loaders.placementByContent.load(o.internalId);
    if (!p) return null;
    const container = await ctx.loaders.objectById.load(p.containerId);
    return container ? Placement.from(p, container.euid, o.euid) : null;
  }

  @FieldResolver(() => [LineageEdge], { description: 'Edges to direct parents (live objects only).' })
  async parentEdges(@Root() o: MaterialObject, @Ctx() ctx: RequestContext): Promise<LineageEdge[]> {
    const edges = await ctx.loaders.edgesByChild.load(o.internalId);
    const parents = await ctx.loaders.objectById.loadMany(edges.map((e) => e.parentId));
    return edges.flatMap((e, i) => {
      const p = parents[i];
      return p && !(p instanceof Error) && !p.deletedAt ? [LineageEdge.from({ ...e, parentEuid: p.euid, childEuid: o.euid })] : [];
    });
  }

  @FieldResolver(() => [LineageEdge], { description: 'Edges to direct children (live objects only).' })
  async childEdges(@Root() o: MaterialObject, @Ctx() ctx: RequestContext): Promise<LineageEdge[]> {
    const edges = await ctx.loaders.edgesByParent.load(o.internalId);
    const children = await ctx.loaders.objectById.loadMany(edges.map((e) => e.childId));
    return edges.flatMap((e, i) => {
      const c = children[i];
      return c && !(c instanceof Error) && !c.deletedAt ? [LineageEdge.from({ ...e, parentEuid: o.euid, childEuid: c.euid })] : [];
    });
  }

  @FieldResolver(() => [MaterialObject], { description: 'Direct parents (live objects only).' })
  async parents(@Root() o: MaterialObject, @Ctx() ctx: RequestContext): Promise<MaterialObject[]> {
    const edges = await ctx.loaders.edgesByChild.load(o.internalId);
    return liveObjects(await ctx.loaders.objectById.loadMany([...new Set(edges.map((e) => e.parentId))]));
  }

  @FieldResolver(() => [MaterialObject], { description: 'Direct children (live objects only).' })
  async children(@Root() o: MaterialObject, @Ctx() ctx: RequestContext): Promise<MaterialObject[]> {
    const edges = await ctx.loaders.edgesByParent.load(o.internalId);
    return liveObjects(await ctx.loaders.objectById.loadMany([...new Set(edges.map((e) => e.childId))]));
  }

  @FieldResolver(() => [ExternalReference])
  async references(@Root() o: MaterialObject, @Ctx() ctx: RequestContext): Promise<ExternalReference[]> {
    const refs = await ctx.loaders.referencesByObject.load(o.internalId);
    return refs.map((r) => ({ provider: r.provider, type: r.refType, value: r.refValue }));
  }
}

function liveObjects(rows: (import('../../db/prisma.js').ObjectRow | null | Error)[]): MaterialObject[] {
  return rows.flatMap((r) => (r && !(r instanceof Error) && !r.deletedAt ? [toObject(r)] : []));
}

@Resolver(() => MaterialObjectConnection)
export class ObjectConnectionResolver {
  @FieldResolver(() => Int)
  totalCount(@Root() c: MaterialObjectConnection, @Ctx() ctx: RequestContext): Promise<number> {
    return countObjects(ctx.db, c.filter);
  }
}
