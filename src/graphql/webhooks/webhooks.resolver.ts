// ADMIN management of webhook endpoints and their delivery queue: every mutation is
// one audited write through the shared services; secrets only in create/rotate.
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { write } from '../../services/write.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  webhookSettings,
} from '../../services/webhooks/endpoints.js';
import { replayDeadLetters, replayWebhookDelivery, testWebhookEndpoint } from '../../services/webhooks/deliveries.js';
import type { ListDeliveriesInput } from '../../services/webhooks/schemas.js';
import { getWebhookEndpoint, listWebhookDeliveries, listWebhookEndpoints } from '../../services/webhooks/read.js';
import { WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from './webhook.types.js';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from './webhook.inputs.js';

const plain = <T extends object>(o: T | null | undefined) => (o ? { ...o } : o);

@Resolver()
export class WebhooksResolver {
  @Authorized('webhooks:admin')
  @Query(() => [WebhookEndpoint])
  async webhookEndpoints(@Ctx() ctx: RequestContext): Promise<WebhookEndpoint[]> {
    return (await listWebhookEndpoints(ctx.db)).map(WebhookEndpoint.from);
  }

  @Authorized('webhooks:admin')
  @Query(() => WebhookEndpoint, { nullable: true })
  async webhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<WebhookEndpoint | null> {
    const v = await getWebhookEndpoint(ctx.db, id);
    return v ? WebhookEndpoint.from(v) : null;
  }

  @Authorized('webhooks:admin')
  @Query(() => [WebhookDelivery], { description: 'Newest first; all endpoints unless endpointId is given.' })
  async webhookDeliveries(
    @Arg('endpointId', () => ID, { nullable: true }) endpointId: string | undefined,
    @Arg('status', () => String, { nullable: true, description: 'pending | delivered | dead_letter | failed' }) status: string | undefined,
    @Arg('eventId', () => ID, { nullable: true }) eventId: string | undefined,
    @Arg('first', () => Int, { nullable: true, description: 'Default 50, at most 500.' }) first: number | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookDelivery[]> {
    const rows = await listWebhookDeliveries(ctx.db, { endpointEuid: endpointId, status: status as ListDeliveriesInput['status'], eventId, first });
    return rows.map(WebhookDelivery.from);
  }

  @Authorized('webhooks:admin')
  @Mutation(() => WebhookEndpointWithSecret, { description: 'The secret is in this response only.' })
  async createWebhookEndpoint(@Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput, @Ctx() ctx: RequestContext): Promise<WebhookEndpointWithSecret> {
    const r = await write(ctx, 'createWebhookEndpoint', { ...input, filter: plain(input.filter) }, createWebhookEndpoint(webhookSettings(ctx.config)), {
      secrets: (out) => [out.secret],
    });
    return { endpoint: WebhookEndpoint.from(r.endpoint), secret: r.secret };
  }

  @Authorized('webhooks:admin')
  @Mutation(() => WebhookEndpoint)
  async updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookEndpoint> {
    const patch = { ...input, ...('filter' in input ? { filter: plain(input.filter) } : {}), euid: id };
    return WebhookEndpoint.from(await write(ctx, 'updateWebhookEndpoint', patch, updateWebhookEndpoint(webhookSettings(ctx.config))));
  }

  @Authorized('webhooks:admin')
  @Mutation(() => WebhookEndpointWithSecret, { description: 'New secret, shown this once; the previous one keeps signing for WEBHOOK_SECRET_OVERLAP_HOURS.' })
  async rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<WebhookEndpointWithSecret> {
    const r = await write(ctx, 'rotateWebhookSecret', { euid: id }, rotateWebhookSecret(webhookSettings(ctx.config)), { secrets: (out) => [out.secret] });
    return { endpoint: WebhookEndpoint.from(r.endpoint), secret: r.secret };
  }

  @Authorized('webhooks:admin')
  @Mutation(() => WebhookEndpoint, { description: 'Disables the endpoint; its deliveries stay listable. Re-enable with updateWebhookEndpoint(active: true).' })
  async deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<WebhookEndpoint> {
    return WebhookEndpoint.from(await write(ctx, 'deleteWebhookEndpoint', { euid: id }, deleteWebhookEndpoint));
  }

  @Authorized('webhooks:admin')
  @Mutation(() => WebhookDelivery, { description: 'Queues a copy (new deliveryId, attempts 0) with the same event id and body.' })
  async replayWebhookDelivery(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: RequestContext): Promise<WebhookDelivery> {
    return WebhookDelivery.from(await write(ctx, 'replayWebhookDelivery', { deliveryId }, replayWebhookDelivery));
  }

  @Authorized('webhooks:admin')
  @Mutation(() => Int, { description: "Re-queues the endpoint's dead-lettered deliveries not queued again since; returns how many." })
  async replayDeadLetters(@Arg('endpointId', () => ID) endpointId: string, @Ctx() ctx: RequestContext): Promise<number> {
    return write(ctx, 'replayDeadLetters', { euid: endpointId }, replayDeadLetters);
  }

  @Authorized('webhooks:admin')
  @Mutation(() => WebhookDelivery, { description: 'Queues a webhook.test event to this endpoint.' })
  async testWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<WebhookDelivery> {
    return WebhookDelivery.from(await write(ctx, 'testWebhookEndpoint', { euid: id }, testWebhookEndpoint));
  }
}
