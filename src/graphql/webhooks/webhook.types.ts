import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common/scalars.js';
import type { DeliveryView, EndpointView } from '../../services/webhooks/views.js';

@ObjectType({ description: 'Narrows an endpoint to events on these objects; an absent list does not narrow.' })
export class WebhookFilter {
  @Field(() => [ID], { nullable: true }) euids!: string[] | null;
  @Field(() => [String], { nullable: true }) externalIds!: string[] | null;
}

@ObjectType({ description: 'A registered webhook receiver (never its secret).' })
export class WebhookEndpoint {
  @Field(() => ID, { description: 'BWH-… EUID' }) id!: string;
  @Field(() => String) url!: string;
  @Field(() => [String]) eventTypes!: string[];
  @Field(() => WebhookFilter) filter!: WebhookFilter;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Boolean) active!: boolean;
  @Field(() => String, { nullable: true, description: 'Why it is inactive: deleted, disabled by an administrator, or 410 Gone from the receiver.' })
  disabledReason!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'After a rotation: until when the previous secret still signs alongside the new one.' })
  previousSecretExpiresAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;

  static from(v: EndpointView): WebhookEndpoint {
    return Object.assign(new WebhookEndpoint(), {
      id: v.euid,
      url: v.url,
      eventTypes: v.eventTypes,
      filter: Object.assign(new WebhookFilter(), { euids: v.filter.euids ?? null, externalIds: v.filter.externalIds ?? null }),
      description: v.description,
      active: v.active,
      disabledReason: v.disabledReason,
      previousSecretExpiresAt: v.previousSecretExpiresAt,
      createdAt: v.createdAt,
      updatedAt: v.updatedAt,
    });
  }
}

@ObjectType()
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint) endpoint!: WebhookEndpoint;
  @Field(() => String, { description: 'whsec_…: the signing secret, shown this once.' }) secret!: string;
}

@ObjectType({ description: 'One event queued for one endpoint, and how its attempts went.' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'dlv_…: X-Labgraph-Delivery; the same across retries, new on replay.' }) deliveryId!: string;
  @Field(() => ID) endpointId!: string;
  @Field(() => ID, { description: 'evt_…: webhook-id and the body id; the same on every retry and replay.' }) eventId!: string;
  @Field(() => String) eventType!: string;
  @Field(() => String, { description: 'pending | delivered | dead_letter | failed' }) status!: string;
  @Field(() => Int, { description: 'HTTP attempts made.' }) attempts!: number;
  @Field(() => Int, { nullable: true, description: 'HTTP status of the last attempt; null when no response arrived.' }) lastStatus!: number | null;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (status and start of the response body, or the network error).' })
  lastError!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true }) lastDurationMs!: number | null;
  @Field(() => DateTimeScalar, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When a pending delivery is attempted next.' }) nextAttemptAt!: Date | null;

  static from(v: DeliveryView): WebhookDelivery {
    const { endpointEuid, ...rest } = v;
    return Object.assign(new WebhookDelivery(), { ...rest, endpointId: endpointEuid });
  }
}
