// ADMIN actions on the delivery queue: replay one delivery, replay an endpoint's
// dead letters, send a test event. Each enqueues NEW pending rows (new dlv_ id,
// attempts 0) with the original event id and payload, so receivers de-duplicate on
// webhook-id; the worker picks them up on its next round.
import { randomBytes } from 'node:crypto';
import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import { badInput, notFound } from '../../errors/index.js';
import { newEventId, recordChange } from '../recordChange.js';
import { parseInput } from '../validate.js';
import { webhookBody } from '../../events/outbox/dispatcher.js';
import { findEndpointRow } from './endpoints.js';
import { deliveryView, type DeliveryView } from './views.js';
import { DeliveryRef, EndpointRef, type DeliveryRefInput, type EndpointRefInput } from './schemas.js';

export const newDeliveryId = () => `dlv_${randomBytes(16).toString('hex')}`;

function requireActive(endpoint: { active: boolean; euid: string }): void {
  if (!endpoint.active) {
    throw badInput(`Webhook endpoint ${endpoint.euid} is disabled; enable it first (updateWebhookEndpoint active: true)`, [{ path: ['id'], message: 'endpoint disabled' }]);
  }
}

export async function replayWebhookDelivery(tx: Tx, actor: Actor, raw: DeliveryRefInput): Promise<DeliveryView> {
  const input = parseInput(DeliveryRef, raw);
  const original = await tx.webhookDelivery.findUnique({ where: { deliveryId: input.deliveryId }, include: { endpoint: true } });
  if (!original) throw notFound('Webhook delivery', input.deliveryId);
  if (original.status === 'pending') throw badInput('The delivery is still pending: it will be attempted anyway', [{ path: ['deliveryId'], message: 'pending' }]);
  requireActive(original.endpoint);
  const clone = await tx.webhookDelivery.create({
    data: { deliveryId: newDeliveryId(), endpointId: original.endpointId, eventId: original.eventId, eventType: original.eventType, payload: original.payload },
  });
  await recordChange(tx, actor, {
    operation: 'replayWebhookDelivery',
    entityType: 'webhook_endpoint',
    entityEuid: original.endpoint.euid,
    changes: { deliveryId: { old: original.deliveryId, new: clone.deliveryId }, eventId: { old: null, new: clone.eventId } },
    events: [],
  });
  return deliveryView(clone, original.endpoint.euid);
}

/**
 * Re-queues every dead-lettered delivery of the endpoint whose event has not been
 * queued again since (so calling it twice does not send everything twice).
 */
export async function replayDeadLetters(tx: Tx, actor: Actor, raw: EndpointRefInput): Promise<number> {
  const input = parseInput(EndpointRef, raw);
  const endpoint = await findEndpointRow(tx, input.euid);
  requireActive(endpoint);
  const dead = await tx.$queryRawUnsafe<{ event_id: string; event_type: string; payload: string }[]>(
    `SELECT d.event_id, d.event_type, d.payload FROM webhook_delivery d
     WHERE d.endpoint_id = $1 AND d.status = 'dead_letter'
       AND NOT EXISTS (SELECT 1 FROM webhook_delivery n WHERE n.endpoint_id = d.endpoint_id AND n.event_id = d.event_id AND n.id > d.id)
     ORDER BY d.id`,
    endpoint.id,
  );
  if (!dead.length) return 0;
  await tx.webhookDelivery.createMany({
    data: dead.map((d) => ({ deliveryId: newDeliveryId(), endpointId: endpoint.id, eventId: d.event_id, eventType: d.event_type, payload: d.payload })),
  });
  await recordChange(tx, actor, {
    operation: 'replayDeadLetters',
    entityType: 'webhook_endpoint',
    entityEuid: endpoint.euid,
    changes: { replayed: { old: null, new: dead.length } },
    events: [],
  });
  return dead.length;
}

/** Queues a `webhook.test` event to this endpoint only (whatever its event types), bypassing the outbox. */
export async function testWebhookEndpoint(tx: Tx, actor: Actor, raw: EndpointRefInput): Promise<DeliveryView> {
  const input = parseInput(EndpointRef, raw);
  const endpoint = await findEndpointRow(tx, input.euid);
  requireActive(endpoint);
  const eventId = newEventId();
  const payload = webhookBody({
    id: eventId,
    type: 'webhook.test',
    occurredAt: new Date().toISOString(),
    euid: endpoint.euid,
    externalId: null,
    data: { sender: 'labgraph', purpose: 'endpoint_test', endpoint: endpoint.euid },
    position: 0,
  });
  const row = await tx.webhookDelivery.create({ data: { deliveryId: newDeliveryId(), endpointId: endpoint.id, eventId, eventType: 'webhook.test', payload } });
  await recordChange(tx, actor, {
    operation: 'testWebhookEndpoint',
    entityType: 'webhook_endpoint',
    entityEuid: endpoint.euid,
    changes: { deliveryId: { old: null, new: row.deliveryId }, eventId: { old: null, new: eventId } },
    events: [],
  });
  return deliveryView(row, endpoint.euid);
}
