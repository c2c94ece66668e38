// ADMIN management of webhook endpoints. Each operation is one audited write; the
// signing secret is generated here, stored encrypted, and returned only by create
// and rotate (write() keeps it out of Idempotency-Key replay records).
import type { Tx } from '../../db/prisma.js';
import type { Actor } from '../../auth/actor.js';
import type { Config } from '../../config/env.js';
import { badInput, notFound } from '../../errors/index.js';
import { PREFIX } from '../../domain/euid.js';
import { mintEuid } from '../mintEuid.js';
import { diffFields, recordChange } from '../recordChange.js';
import { parseInput } from '../validate.js';
import type { WriteFn } from '../write.js';
import { encryptSecret, encryptionKey, generateSecret } from '../../events/webhooks/secrets.js';
import { AllowList, assertDeliverableUrl, SsrfError } from '../../events/webhooks/ssrf.js';
import { auditedEndpoint, endpointView, type EndpointView } from './views.js';
import {
  CreateWebhookEndpoint,
  EndpointRef,
  UpdateWebhookEndpoint,
  type CreateWebhookEndpointInput,
  type EndpointRefInput,
  type UpdateWebhookEndpointInput,
} from './schemas.js';

/** The part of the configuration endpoint management needs. */
export interface WebhookSettings {
  encryptionKey?: string;
  secretOverlapHours: number;
  allowHosts: string[];
}

export const webhookSettings = (config: Config): WebhookSettings => ({
  encryptionKey: config.webhooks.encryptionKey,
  secretOverlapHours: config.webhooks.secretOverlapHours,
  allowHosts: config.webhooks.allowHosts,
});

export interface EndpointWithSecret {
  endpoint: EndpointView;
  /** whsec_…: shown this once. */
  secret: string;
}

async function checkUrl(url: string, settings: WebhookSettings): Promise<void> {
  try {
    await assertDeliverableUrl(url, { allow: new AllowList(settings.allowHosts) });
  } catch (err) {
    if (err instanceof SsrfError) throw badInput(`url: ${err.message}`, [{ path: ['url'], message: err.message }]);
    throw err;
  }
}

export async function findEndpointRow(tx: Pick<Tx, 'webhookEndpoint'>, euid: string) {
  const row = await tx.webhookEndpoint.findUnique({ where: { euid } });
  if (!row) throw notFound('Webhook endpoint', euid);
  return row;
}

export function createWebhookEndpoint(settings: WebhookSettings): WriteFn<CreateWebhookEndpointInput, EndpointWithSecret> {
  return async (tx: Tx, actor: Actor, raw) => {
    const input = parseInput(CreateWebhookEndpoint, raw);
    await checkUrl(input.url, settings);
    const secret = generateSecret();
    const row = await tx.webhookEndpoint.create({
      data: {
        euid: await mintEuid(tx, PREFIX.webhook),
        url: input.url,
        eventTypes: input.eventTypes,
        filter: input.filter,
        description: input.description,
        secret: encryptSecret(secret, encryptionKey(settings.encryptionKey)),
      },
    });
    const endpoint = endpointView(row);
    await recordChange(tx, actor, {
      operation: 'createWebhookEndpoint',
      entityType: 'webhook_endpoint',
      entityEuid: row.euid,
      changes: diffFields({}, auditedEndpoint(endpoint)),
      events: [],
    });
    return { endpoint, secret };
  };
}

export function updateWebhookEndpoint(settings: WebhookSettings): WriteFn<UpdateWebhookEndpointInput, EndpointView> {
  return async (tx: Tx, actor: Actor, raw) => {
    const input = parseInput(UpdateWebhookEndpoint, raw);
    const before = await findEndpointRow(tx, input.euid);
    if (input.url !== undefined && input.url !== before.url) await checkUrl(input.url, settings);
    const active = input.active ?? before.active;
    // Re-enabling clears why it was disabled; disabling here records that an admin did it.
    const disabledReason = active ? null : before.active ? 'disabled by an administrator' : before.disabledReason;
    const after = await tx.webhookEndpoint.update({
      where: { id: before.id },
      data: {
        url: input.url,
        eventTypes: input.eventTypes,
        filter: input.filter,
        description: input.description,
        active,
        disabledReason,
      },
    });
    const view = endpointView(after);
    const changes = diffFields(auditedEndpoint(endpointView(before)), auditedEndpoint(view));
    if (Object.keys(changes).length) {
      await recordChange(tx, actor, { operation: 'updateWebhookEndpoint', entityType: 'webhook_endpoint', entityEuid: after.euid, changes, events: [] });
    }
    return view;
  };
}

/**
 * A new secret signs from now on; the previous one keeps signing alongside it for
 * secretOverlapHours (0: replaced at once). Rotating again inside the window drops
 * the oldest secret.
 */
export function rotateWebhookSecret(settings: WebhookSettings): WriteFn<EndpointRefInput, EndpointWithSecret> {
  return async (tx: Tx, actor: Actor, raw) => {
    const input = parseInput(EndpointRef, raw);
    const before = await findEndpointRow(tx, input.euid);
    const secret = generateSecret();
    const overlapMs = settings.secretOverlapHours * 3600_000;
    const until = overlapMs > 0 ? new Date(Date.now() + overlapMs) : null;
    const after = await tx.webhookEndpoint.update({
      where: { id: before.id },
      data: {
        secret: encryptSecret(secret, encryptionKey(settings.encryptionKey)),
        previousSecret: until ? before.secret : null,
        previousSecretUntil: until,
      },
    });
    await recordChange(tx, actor, {
      operation: 'rotateWebhookSecret',
      entityType: 'webhook_endpoint',
      entityEuid: after.euid,
      // Never the secret itself: only that it changed and how long the old one still signs.
      changes: { secret: { old: 'previous', new: 'rotated' }, previousSecretExpiresAt: { old: null, new: until?.toISOString() ?? null } },
      events: [],
    });
    return { endpoint: endpointView(after), secret };
  };
}

/** Disables the endpoint (its history stays listable); updateWebhookEndpoint(active: true) brings it back. */
export const deleteWebhookEndpoint: WriteFn<EndpointRefInput, EndpointView> = async (tx, actor, raw) => {
  const input = parseInput(EndpointRef, raw);
  const before = await findEndpointRow(tx, input.euid);
  if (!before.active && before.disabledReason === 'deleted') return endpointView(before);
  const after = await tx.webhookEndpoint.update({ where: { id: before.id }, data: { active: false, disabledReason: 'deleted' } });
  const changes = diffFields(auditedEndpoint(endpointView(before)), auditedEndpoint(endpointView(after)));
  await recordChange(tx, actor, { operation: 'deleteWebhookEndpoint', entityType: 'webhook_endpoint', entityEuid: after.euid, changes, events: [] });
  return endpointView(after);
};
