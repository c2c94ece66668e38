import { z } from 'zod';
import { EVENT_TYPES } from '../../events/catalog.js';

const url = z.string().trim().min(1).max(2048).superRefine((v, ctx) => {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a valid URL' });
    return;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: `scheme ${u.protocol.replace(/:$/, '')} is not allowed: use http or https` });
  else if (u.username || u.password) ctx.addIssue({ code: 'custom', message: 'credentials in the URL are not supported' });
});

const eventTypes = z.array(z.string()).min(1, 'at least one event type').max(EVENT_TYPES.length).superRefine((list, ctx) => {
  const unknown = list.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length) ctx.addIssue({ code: 'custom', message: `Unknown event type(s): ${unknown.join(', ')}` });
}).transform((list) => [...new Set(list)]);

const ids = z.array(z.string().trim().min(1).max(255)).max(1000);

/** Keys that are present narrow the endpoint's events; absent or empty lists do not. */
const filter = z.object({ euids: ids.nullish(), externalIds: ids.nullish() }).strict().nullish()
  .transform((f) => {
    const out: { euids?: string[]; externalIds?: string[] } = {};
    if (f?.euids?.length) out.euids = [...new Set(f.euids)];
    if (f?.externalIds?.length) out.externalIds = [...new Set(f.externalIds)];
    return out;
  });

const description = z.string().trim().max(1000).nullish().transform((d) => (d ? d : null));
const euid = z.string().min(1).max(64);

export const CreateWebhookEndpoint = z.object({ url, eventTypes, filter, description });
export type CreateWebhookEndpointInput = z.input<typeof CreateWebhookEndpoint>;

export const UpdateWebhookEndpoint = z.object({
  euid,
  url: url.optional(),
  eventTypes: eventTypes.optional(),
  /** undefined: unchanged; null or {}: no filter. */
  filter: filter.optional(),
  description: description.optional(),
  active: z.boolean().optional(),
});
export type UpdateWebhookEndpointInput = z.input<typeof UpdateWebhookEndpoint>;

export const EndpointRef = z.object({ euid });
export type EndpointRefInput = z.input<typeof EndpointRef>;

export const DeliveryRef = z.object({ deliveryId: z.string().regex(/^dlv_[0-9a-f]{32}$/, 'a delivery id: dlv_ and 32 hex characters') });
export type DeliveryRefInput = z.input<typeof DeliveryRef>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead_letter', 'failed'] as const;

export const ListDeliveries = z.object({
  endpointEuid: euid.nullish(),
  status: z.enum(DELIVERY_STATUSES).nullish(),
  eventId: z.string().min(1).max(64).nullish(),
  first: z.number().int().min(1).max(500).nullish(),
});
export type ListDeliveriesInput = z.input<typeof ListDeliveries>;
