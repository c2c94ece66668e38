// Subscriptions over graphql-ws, fed by the subscription hub (one event stream with
// webhooks). Filtering happens in the hub, before GraphQL runs.
import { Arg, Field, ID, InputType, ObjectType, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { DateTimeScalar, JSONObjectScalar } from '../common/scalars.js';
import type { LabEvent } from '../../events/catalog.js';
import type { SubscriptionHub } from '../../events/subscriptions/hub.js';
import { EventFilterInput } from '../../events/subscriptions/eventFilter.js';
import { can, requirePermission } from '../../auth/authorize.js';
import { parseInput } from '../../services/validate.js';
import { AppError } from '../../errors/index.js';

@ObjectType({ description: 'A change event; the same id is in every webhook body and retry.' })
export class Event {
  @Field(() => ID) id!: string;
  @Field(() => String) type!: string;
  @Field(() => DateTimeScalar) occurredAt!: Date;
  @Field(() => ID, { nullable: true }) euid!: string | null;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => JSONObjectScalar) data!: Record<string, unknown>;

  static from(e: LabEvent): Event {
    return Object.assign(new Event(), { id: e.id, type: e.type, occurredAt: new Date(e.occurredAt), euid: e.euid, externalId: e.externalId, data: e.data });
  }
}

@InputType()
export class EventFilter {
  @Field(() => [String], { nullable: true, description: 'Event types, e.g. object.created.' }) types?: string[];
  @Field(() => [ID], { nullable: true }) euids?: string[];
  @Field(() => [String], { nullable: true }) externalIds?: string[];
  @Field(() => ID, { nullable: true, description: 'Events on this object and any of its lineage descendants.' }) descendantOf?: string;
}

type SubscriptionContext = RequestContext & { subscriptions?: SubscriptionHub };

function subscribeEvents(ctx: SubscriptionContext, rawFilter: unknown, after: string | undefined) {
  requirePermission(ctx.actor, 'objects:read');
  if (!ctx.subscriptions) throw new AppError('BAD_REQUEST', 'Subscriptions are served over WebSocket (graphql-ws) at /graphql');
  const filter = parseInput(EventFilterInput, rawFilter ?? {});
  const lineage = can(ctx.actor, 'lineage:read');
  return ctx.subscriptions.subscribe(filter, { after, allowed: (e) => lineage || !e.type.startsWith('lineage.') });
}

@Resolver()
export class EventResolver {
  @Subscription(() => Event, {
    description: 'Change events. `after`: the last event id you saw; you first get everything since, then live events.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { filter?: unknown; after?: string | null; euid?: string }, SubscriptionContext>) => subscribeEvents(context, args.filter, args.after ?? undefined),
  })
  events(
    @Root() e: LabEvent,
    @Arg('filter', () => EventFilter, { nullable: true }) _filter?: EventFilter,
    @Arg('after', () => ID, { nullable: true }) _after?: string,
  ): Event {
    return Event.from(e);
  }

  @Subscription(() => Event, {
    description: 'Events on one object (created, updated, deleted, placed, linked).',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { filter?: unknown; after?: string | null; euid?: string }, SubscriptionContext>) => subscribeEvents(context, { euids: [String(args.euid)] }, undefined),
  })
  objectChanged(@Root() e: LabEvent, @Arg('euid', () => ID) _euid: string): Event {
    return Event.from(e);
  }
}
