import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class WebhookFilterInput {
  @Field(() => [ID], { nullable: true, description: 'Only events whose euid is one of these.' }) euids?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Only events whose externalId is one of these.' }) externalIds?: string[] | null;
}

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: 'http(s) URL; must not resolve to a loopback/private/link-local address unless allow-listed (WEBHOOK_ALLOW_HOSTS).' })
  url!: string;
  @Field(() => [String], { description: 'Event types from the catalog, e.g. object.created.' }) eventTypes!: string[];
  @Field(() => WebhookFilterInput, { nullable: true }) filter?: WebhookFilterInput | null;
  @Field(() => String, { nullable: true }) description?: string | null;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true }) url?: string;
  @Field(() => [String], { nullable: true }) eventTypes?: string[];
  @Field(() => WebhookFilterInput, { nullable: true, description: 'Replaces the filter; null removes it.' }) filter?: WebhookFilterInput | null;
  @Field(() => String, { nullable: true, description: 'null removes it.' }) description?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'false disables the endpoint; true re-enables it (also after 410 Gone).' }) active?: boolean;
}
