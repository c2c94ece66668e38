// What leaves the service layer: public ids only (EUID, dlv_…), never an internal
// key, never a secret (plaintext or encrypted).
import type { WebhookDelivery, WebhookEndpoint } from '@prisma/client';

export interface EndpointFilter {
  euids?: string[];
  externalIds?: string[];
}

export interface EndpointView {
  euid: string;
  url: string;
  eventTypes: string[];
  filter: EndpointFilter;
  description: string | null;
  active: boolean;
  disabledReason: string | null;
  /** While a rotated-out secret still signs, until when. */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeliveryView {
  deliveryId: string;
  endpointEuid: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  lastDurationMs: number | null;
  deliveredAt: Date | null;
  createdAt: Date;
  nextAttemptAt: Date | null;
}

export function endpointView(r: WebhookEndpoint): EndpointView {
  const f = (r.filter ?? {}) as EndpointFilter;
  return {
    euid: r.euid,
    url: r.url,
    eventTypes: r.eventTypes,
    filter: { ...(f.euids ? { euids: f.euids } : {}), ...(f.externalIds ? { externalIds: f.externalIds } : {}) },
    description: r.description,
    active: r.active,
    disabledReason: r.disabledReason,
    previousSecretExpiresAt: r.previousSecret && r.previousSecretUntil && r.previousSecretUntil.getTime() > Date.now() ? r.previousSecretUntil : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function deliveryView(r: WebhookDelivery, endpointEuid: string): DeliveryView {
  return {
    deliveryId: r.deliveryId,
    endpointEuid,
    eventId: r.eventId,
    eventType: r.eventType,
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastError: r.lastError,
    lastAttemptAt: r.lastAttemptAt,
    lastDurationMs: r.lastDurationMs,
    deliveredAt: r.deliveredAt,
    createdAt: r.createdAt,
    nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt : null,
  };
}

/** The audited fields of an endpoint (no secret). */
export function auditedEndpoint(v: EndpointView): Record<string, unknown> {
  return { url: v.url, eventTypes: v.eventTypes, filter: v.filter, description: v.description, active: v.active, disabledReason: v.disabledReason };
}
