// The event vocabulary (DESIGN.md). One event = {id, type, occurredAt, euid, externalId, data}.
export const EVENT_TYPES = [
  'object.created',
  'object.updated',
  'object.deleted',
  'container.created',
  'container.content_placed',
  'container.content_removed',
  'content.created',
  'specimen.created',
  'specimen.updated',
  'lineage.created',
  'lineage.deleted',
  'project.created',
  'project.updated',
  'experiment.created',
  'experiment.updated',
  'experiment.status_changed',
  'sample.created',
  'sample.updated',
  'sample.qc_changed',
  'file.registered',
  'file.ready',
  'webhook.test',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(t: string): t is EventType {
  return (EVENT_TYPES as readonly string[]).includes(t);
}

export interface LabEvent {
  id: string;
  type: EventType;
  occurredAt: string;
  euid: string | null;
  externalId: string | null;
  data: Record<string, unknown>;
  /** Publication order (outbox position); resume cursors are built from it. */
  position: number;
}
