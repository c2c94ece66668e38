import type { Database } from '../../db/database.js';
import { notFound } from '../../errors/index.js';
import { parseInput } from '../validate.js';
import { ListDeliveries, type ListDeliveriesInput } from './schemas.js';
import { deliveryView, endpointView, type DeliveryView, type EndpointView } from './views.js';

export async function listWebhookEndpoints(db: Database): Promise<EndpointView[]> {
  return (await db.prisma.webhookEndpoint.findMany({ orderBy: { id: 'asc' } })).map(endpointView);
}

export async function getWebhookEndpoint(db: Database, euid: string): Promise<EndpointView | null> {
  const row = await db.prisma.webhookEndpoint.findUnique({ where: { euid } });
  return row ? endpointView(row) : null;
}

/** Newest first. */
export async function listWebhookDeliveries(db: Database, raw: ListDeliveriesInput): Promise<DeliveryView[]> {
  const input = parseInput(ListDeliveries, raw);
  let endpointId: number | undefined;
  if (input.endpointEuid) {
    const ep = await db.prisma.webhookEndpoint.findUnique({ where: { euid: input.endpointEuid }, select: { id: true } });
    if (!ep) throw notFound('Webhook endpoint', input.endpointEuid);
    endpointId = ep.id;
  }
  const rows = await db.prisma.webhookDelivery.findMany({
    where: {
      ...(endpointId !== undefined ? { endpointId } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...(input.eventId ? { eventId: input.eventId } : {}),
    },
    include: { endpoint: { select: { euid: true } } },
    orderBy: { id: 'desc' },
    take: input.first ?? 50,
  });
  return rows.map((r) => deliveryView(r, r.endpoint.euid));
}
