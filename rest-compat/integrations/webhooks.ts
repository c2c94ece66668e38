// Webhook subscriptions for ADMIN under /api/v1/integrations/webhooks (bioAF §6.1
// routes), mapped onto the shared webhook services: `name` is the endpoint's
// description, `events` its event types, ids the EUID sequence numbers (BWH).
import { Router } from 'express';
import { z } from 'zod';
import type { RestDoor } from '../../src/http/app.js';
import { PREFIX } from '../../src/domain/euid.js';
import { notFound } from '../../src/errors/index.js';
import { write } from '../../src/services/write.js';
import { requirePermission } from '../../src/auth/authorize.js';
import { euidOf, idOf } from '../../src/services/integrations/model.js';
import {
  createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, updateWebhookEndpoint, webhookSettings,
} from '../../src/services/webhooks/endpoints.js';
import { replayWebhookDelivery, testWebhookEndpoint } from '../../src/services/webhooks/deliveries.js';
import { getWebhookEndpoint, listWebhookDeliveries, listWebhookEndpoints } from '../../src/services/webhooks/read.js';
import { DELIVERY_STATUSES } from '../../src/services/webhooks/schemas.js';
import type { DeliveryView, EndpointView } from '../../src/services/webhooks/views.js';
import { checked, gate, pathId } from './http.js';
import { parseBody } from '../bloom/validation.js';

export const WebhookCreate = z.object({ url: z.string(), events: z.array(z.string()), name: z.string().max(1000).nullish() });
export const WebhookUpdate = z.object({ url: z.string().nullish(), events: z.array(z.string()).nullish(), name: z.string().max(1000).nullish(), is_active: z.boolean().nullish() });
export const DeliveriesQuery = z.object({ status: z.enum(DELIVERY_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) });

/** Service field names → the names the caller sent, for 422 `loc`. */
export const WEBHOOK_FIELD_NAMES = { eventTypes: 'events', description: 'name' };

const id = z.number().int();
const when = z.string().nullable();
export const SubscriptionOut = z.object({
  id, euid: z.string(), name: z.string().nullable(), url: z.string(), events: z.array(z.string()), is_active: z.boolean(),
  disabled_reason: z.string().nullable(), previous_secret_expires_at: when, created_at: z.string(), updated_at: z.string(),
});
export const SubscriptionWithSecret = z.object({ subscription: SubscriptionOut, secret: z.string() });
export const DeliveryOut = z.object({
  id: z.string(), subscription_id: id, event_id: z.string(), event: z.string(), status: z.enum(DELIVERY_STATUSES), attempt_count: id,
  last_response_status: id.nullable(), last_error: z.string().nullable(), last_attempted_at: when, delivered_at: when, next_attempt_at: when,
  created_at: z.string(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const subscriptionOut = (v: EndpointView): z.infer<typeof SubscriptionOut> => ({
  id: idOf(v.euid, PREFIX.webhook) ?? 0, euid: v.euid, name: v.description, url: v.url, events: v.eventTypes, is_active: v.active,
  disabled_reason: v.disabledReason, previous_secret_expires_at: iso(v.previousSecretExpiresAt), created_at: v.createdAt.toISOString(),
  updated_at: v.updatedAt.toISOString(),
});

export const deliveryOut = (d: DeliveryView): z.infer<typeof DeliveryOut> => ({
  id: d.deliveryId, subscription_id: idOf(d.endpointEuid, PREFIX.webhook) ?? 0, event_id: d.eventId, event: d.eventType,
  status: d.status as (typeof DELIVERY_STATUSES)[number], attempt_count: d.attempts, last_response_status: d.lastStatus, last_error: d.lastError,
  last_attempted_at: iso(d.lastAttemptAt), delivered_at: iso(d.deliveredAt), next_attempt_at: iso(d.nextAttemptAt), created_at: d.createdAt.toISOString(),
});

export function webhookRoutes(door: RestDoor): Router {
  const r = Router();
  const admin = gate('webhooks:admin', requirePermission);
  const settings = webhookSettings(door.config);
  const endpointEuid = (req: Parameters<typeof pathId>[0]) => euidOf(pathId(req, 'webhook_id'), PREFIX.webhook);

  r.post('/webhooks', admin, checked(WebhookCreate, null), door.idempotent(WebhookCreate), async (req, res) => {
    const b = parseBody(WebhookCreate, req.body);
    const out = await write(door.context(req), 'createWebhookEndpoint', { url: b.url, eventTypes: b.events, description: b.name },
      createWebhookEndpoint(settings), { secrets: (o) => [o.secret] });
    res.status(201).json({ subscription: subscriptionOut(out.endpoint), secret: out.secret });
  });

  r.get('/webhooks', admin, async (req, res) => {
    res.json({ items: (await listWebhookEndpoints(door.context(req).db)).map(subscriptionOut) });
  });

  r.get('/webhooks/:id', admin, async (req, res) => {
    const euid = endpointEuid(req);
    const v = await getWebhookEndpoint(door.context(req).db, euid);
    if (!v) throw notFound('Webhook endpoint', euid);
    res.json(subscriptionOut(v));
  });

  r.patch('/webhooks/:id', admin, checked(WebhookUpdate, null, 'webhook_id'), door.idempotent(WebhookUpdate), async (req, res) => {
    const b = parseBody(WebhookUpdate, req.body);
    const v = await write(door.context(req), 'updateWebhookEndpoint', {
      euid: endpointEuid(req), url: b.url ?? undefined, eventTypes: b.events ?? undefined, description: b.name ?? undefined, active: b.is_active ?? undefined,
    }, updateWebhookEndpoint(settings));
    res.json(subscriptionOut(v));
  });

  r.delete('/webhooks/:id', admin, checked(z.unknown(), null, 'webhook_id'), door.idempotent(), async (req, res) => {
    res.json(subscriptionOut(await write(door.context(req), 'deleteWebhookEndpoint', { euid: endpointEuid(req) }, deleteWebhookEndpoint)));
  });

  r.post('/webhooks/:id/rotate-secret', admin, checked(z.unknown(), null, 'webhook_id'), door.idempotent(), async (req, res) => {
    const out = await write(door.context(req), 'rotateWebhookSecret', { euid: endpointEuid(req) }, rotateWebhookSecret(settings), { secrets: (o) => [o.secret] });
    res.json({ subscription: subscriptionOut(out.endpoint), secret: out.secret });
  });

  r.get('/webhooks/:id/deliveries', admin, async (req, res) => {
    const euid = endpointEuid(req);
    const q = parseBody(DeliveriesQuery, req.query, 'query');
    res.json({ items: (await listWebhookDeliveries(door.context(req).db, { endpointEuid: euid, status: q.status, first: q.limit })).map(deliveryOut) });
  });

  r.post('/webhooks/deliveries/:delivery_id/replay', admin, door.idempotent(), async (req, res) => {
    const d = await write(door.context(req), 'replayWebhookDelivery', { deliveryId: String(req.params.delivery_id) }, replayWebhookDelivery);
    res.status(201).json(deliveryOut(d));
  });

  r.post('/webhooks/:id/test', admin, checked(z.unknown(), null, 'webhook_id'), door.idempotent(), async (req, res) => {
    res.status(201).json(deliveryOut(await write(door.context(req), 'testWebhookEndpoint', { euid: endpointEuid(req) }, testWebhookEndpoint)));
  });

  return r;
}
