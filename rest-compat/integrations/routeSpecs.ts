// OpenAPI for /api/v1/integrations from the routes' own request schemas
// (src/services/integrations/schemas.ts) and exact response shapes (shapes.ts).
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import {
  ExperimentCreate, ExperimentListQuery, ExperimentUpdate, FileListQuery, ProjectCreate, ProjectListQuery, ProjectUpdate,
  SampleByExternalQuery, SampleCreate, SampleListQuery, SampleUpdate,
} from '../../src/services/integrations/schemas.js';
import { ExperimentOut, FileOut, ProjectOut, SampleOut, listOf } from './shapes.js';
import { DeliveriesQuery, DeliveryOut, SubscriptionOut, SubscriptionWithSecret, WebhookCreate, WebhookUpdate } from './webhooks.js';

const AUTH = [401, 403] as const;
/** A write's failures before its service runs: bad Idempotency-Key (400), key in flight (409), validation (422). */
const WRITE = [400, ...AUTH, 409, 422];
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

function resource(
  tag: string,
  plural: string,
  o: { out: z.ZodType; create: z.ZodType; update: z.ZodType; list: z.ZodType; byExternalQuery?: z.ZodType; createNote: string; managed: string },
): RouteSpec[] {
  return [
    spec({
      method: 'post', path: `/${plural}`, tag, summary: `Create a ${tag} (${o.createNote})`, body: o.create, idempotent: true,
      description: `${o.managed} A replay with the same Idempotency-Key answers the stored 201 with Idempotency-Replayed: true.`,
      responses: { 201: { description: 'Created', schema: o.out } }, errors: [...WRITE, 404],
    }),
    spec({
      method: 'get', path: `/${plural}`, tag, summary: `List ${plural}, newest first (cursor pages: limit 1–200, default 50)`, query: o.list,
      responses: { 200: { description: `A page of ${plural}; next_cursor is null on the last page`, schema: listOf(o.out) } }, errors: [400, ...AUTH, 422],
    }),
    spec({
      method: 'get', path: `/${plural}/by-external/:external_id`, tag, summary: `One ${tag} by its external_id`, query: o.byExternalQuery,
      responses: { 200: { description: `The ${tag}`, schema: o.out } }, errors: [...AUTH, 404, 422],
    }),
    spec({
      method: 'get', path: `/${plural}/:id`, tag, summary: `One ${tag} by its integer id`,
      responses: { 200: { description: `The ${tag}`, schema: o.out } }, errors: [...AUTH, 404, 422],
    }),
    spec({
      method: 'patch', path: `/${plural}/:id`, tag, summary: `Update a ${tag}: fields present and non-null are written; custom_fields is a delta`,
      description: o.managed, body: o.update, idempotent: true,
      responses: { 200: { description: `The updated ${tag}`, schema: o.out } }, errors: [...WRITE, 404],
    }),
  ];
}

export const integrationSpecs: RouteSpec[] = [
  ...resource('project', 'projects', {
    out: ProjectOut, create: ProjectCreate, update: ProjectUpdate, list: ProjectListQuery,
    createNote: 'external_id unique in the gateway: 409', managed: 'status is managed by the lab (ignored when sent).',
  }),
  ...resource('experiment', 'experiments', {
    out: ExperimentOut, create: ExperimentCreate, update: ExperimentUpdate, list: ExperimentListQuery,
    createNote: 'external_id unique in the gateway: 409; project by project_id or project_external_id: 404',
    managed: 'A non-null status is refused with 400 status_writes_not_permitted.',
  }),
  ...resource('sample', 'samples', {
    out: SampleOut, create: SampleCreate, update: SampleUpdate, list: SampleListQuery, byExternalQuery: SampleByExternalQuery,
    createNote: 'external_id unique in its experiment: 409; unknown experiment: 404',
    managed: 'A non-null qc_status is refused with 400 qc_writes_not_permitted, then a non-null status with 400 status_writes_not_permitted.',
  }),
  spec({
    method: 'get', path: '/files', tag: 'file', summary: 'List file metadata, newest first (cursor pages)', query: FileListQuery,
    responses: { 200: { description: 'A page of files', schema: listOf(FileOut) } }, errors: [400, ...AUTH, 422],
  }),
  spec({
    method: 'get', path: '/files/:id', tag: 'file', summary: 'One file (metadata only; never a storage URI)',
    responses: { 200: { description: 'The file', schema: FileOut } }, errors: [...AUTH, 404, 422],
  }),

  spec({
    method: 'post', path: '/webhooks', tag: 'webhook', summary: 'Subscribe an endpoint (ADMIN); the secret is in this response only', body: WebhookCreate,
    idempotent: true, responses: { 201: { description: 'Created', schema: SubscriptionWithSecret } }, errors: WRITE,
  }),
  spec({
    method: 'get', path: '/webhooks', tag: 'webhook', summary: 'Every subscription (ADMIN)',
    responses: { 200: { description: 'The subscriptions', schema: items(SubscriptionOut) } }, errors: [...AUTH],
  }),
  spec({
    method: 'get', path: '/webhooks/:id', tag: 'webhook', summary: 'One subscription (ADMIN)',
    responses: { 200: { description: 'The subscription', schema: SubscriptionOut } }, errors: [...AUTH, 404, 422],
  }),
  spec({
    method: 'patch', path: '/webhooks/:id', tag: 'webhook', summary: 'Change name, url, events or is_active (ADMIN)', body: WebhookUpdate, idempotent: true,
    responses: { 200: { description: 'The subscription', schema: SubscriptionOut } }, errors: [...WRITE, 404],
  }),
  spec({
    method: 'delete', path: '/webhooks/:id', tag: 'webhook', summary: 'Disable a subscription (ADMIN); its deliveries stay listable', idempotent: true,
    responses: { 200: { description: 'The disabled subscription', schema: SubscriptionOut } }, errors: [...WRITE, 404],
  }),
  spec({
    method: 'post', path: '/webhooks/:id/rotate-secret', tag: 'webhook', summary: 'New signing secret (ADMIN); the previous one signs during the overlap',
    idempotent: true, responses: { 200: { description: 'The subscription and its new secret', schema: SubscriptionWithSecret } }, errors: [...WRITE, 404],
  }),
  spec({
    method: 'get', path: '/webhooks/:id/deliveries', tag: 'webhook', summary: 'Deliveries of a subscription, newest first (ADMIN)', query: DeliveriesQuery,
    responses: { 200: { description: 'The deliveries', schema: items(DeliveryOut) } }, errors: [...AUTH, 404, 422],
  }),
  spec({
    method: 'post', path: '/webhooks/deliveries/:delivery_id/replay', tag: 'webhook', idempotent: true,
    summary: 'Queue a copy of a delivery (new id, attempt_count 0, same event id and body) (ADMIN)',
    responses: { 201: { description: 'The new delivery', schema: DeliveryOut } }, errors: [...WRITE, 404],
  }),
  spec({
    method: 'post', path: '/webhooks/:id/test', tag: 'webhook', summary: 'Queue a webhook.test event to this subscription (ADMIN)', idempotent: true,
    responses: { 201: { description: 'The queued delivery', schema: DeliveryOut } }, errors: [...WRITE, 404],
  }),
];
