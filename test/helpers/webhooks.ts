// Webhook receivers on 127.0.0.1 (ephemeral ports) that record every request, and
// the GraphQL calls the webhook tests share.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ok, type TestGateway } from './gateway.js';

export interface Receipt {
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface Receiver {
  url: string;
  receipts: Receipt[];
  /** Requests being answered right now, and the most there ever were at once. */
  open: number;
  maxOpen: number;
  /** What to answer to the n-th request (0-based); default 200. */
  reply: (n: number, r: Receipt) => Reply | Promise<Reply>;
  close(): Promise<void>;
}

export async function startReceiver(reply: Receiver['reply'] = () => ({ status: 200 })): Promise<Receiver> {
  const hanging = new Set<http.ServerResponse>();
  const receiver: Receiver = {
    url: '',
    receipts: [],
    open: 0,
    maxOpen: 0,
    reply,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
      const r: Receipt = { headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() };
      const n = receiver.receipts.length;
      receiver.receipts.push(r);
      receiver.open++;
      receiver.maxOpen = Math.max(receiver.maxOpen, receiver.open);
      res.on('close', () => {
        receiver.open--;
        hanging.delete(res);
      });
      const answer = await receiver.reply(n, r);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}

/** Polls until `check` returns a truthy value (bounded); returns it. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const ENDPOINT_FIELDS = 'id url eventTypes filter { euids externalIds } description active disabledReason previousSecretExpiresAt createdAt updatedAt';
export const DELIVERY_FIELDS = 'deliveryId endpointId eventId eventType status attempts lastStatus lastError lastAttemptAt lastDurationMs deliveredAt createdAt nextAttemptAt';

export interface EndpointOut {
  id: string;
  url: string;
  eventTypes: string[];
  filter: { euids: string[] | null; externalIds: string[] | null };
  description: string | null;
  active: boolean;
  disabledReason: string | null;
  previousSecretExpiresAt: string | null;
}

export interface DeliveryOut {
  deliveryId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  lastDurationMs: number | null;
  deliveredAt: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
}

export async function createEndpoint(
  t: TestGateway,
  input: { url: string; eventTypes: string[]; filter?: { euids?: string[]; externalIds?: string[] }; description?: string },
  headers: Record<string, string> = {},
): Promise<{ endpoint: EndpointOut; secret: string }> {
  const r = await t.gql<{ createWebhookEndpoint: { endpoint: EndpointOut; secret: string } }>(
    `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } } }`,
    { input },
    headers,
  );
  return ok(r).createWebhookEndpoint;
}

export async function sendTest(t: TestGateway, endpointId: string): Promise<DeliveryOut> {
  const r = await t.gql<{ testWebhookEndpoint: DeliveryOut }>(`mutation($id: ID!) { testWebhookEndpoint(id: $id) { ${DELIVERY_FIELDS} } }`, { id: endpointId });
  return ok(r).testWebhookEndpoint;
}

export async function deliveries(t: TestGateway, args: { endpointId?: string; status?: string; eventId?: string; first?: number } = {}): Promise<DeliveryOut[]> {
  const r = await t.gql<{ webhookDeliveries: DeliveryOut[] }>(
    `query($endpointId: ID, $status: String, $eventId: ID, $first: Int) {
       webhookDeliveries(endpointId: $endpointId, status: $status, eventId: $eventId, first: $first) { ${DELIVERY_FIELDS} } }`,
    args,
  );
  return ok(r).webhookDeliveries;
}

export async function deliveryById(t: TestGateway, endpointId: string, deliveryId: string): Promise<DeliveryOut | undefined> {
  return (await deliveries(t, { endpointId, first: 500 })).find((d) => d.deliveryId === deliveryId);
}

export async function disableEndpoint(t: TestGateway, id: string): Promise<void> {
  ok(await t.gql(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id active } }`, { id }));
}

/** The test environment: 127.0.0.1 allow-listed, retries every 0.2 s (3 retries), fast polling. */
export const WEBHOOK_ENV = {
  WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
  WEBHOOK_RETRY_SCHEDULE: '0.2,0.2,0.2',
  WEBHOOK_POLL_MS: '50',
  OUTBOX_POLL_MS: '50',
  WEBHOOK_TIMEOUT_MS: '3000',
};
