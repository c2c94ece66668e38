// OpenAPI for Bloom §1.5 /lineages, from the route's own request schemas.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { AUTH_ERRORS, euidResult, offsetPage } from '../openapi/bloomShapes.js';
import { CreateBody, DeleteQuery, ListQuery } from './lineages.routes.js';

const Edge = z.object({ euid: z.string(), parent_euid: z.string(), child_euid: z.string(), relationship_type: z.string() });

export const lineageSpecs: RouteSpec[] = [
  spec({
    method: 'get', path: '/lineages', tag: 'lineages', summary: 'List edges, by parent and/or child (an unknown EUID: empty)', query: ListQuery,
    responses: { 200: { description: 'A page of edges', schema: offsetPage(Edge) } }, errors: [...AUTH_ERRORS, 422],
  }),
  spec({
    method: 'post', path: '/lineages', tag: 'lineages', summary: 'Link parent → child (self-link, cycle and duplicate: 409)', body: CreateBody,
    idempotent: true,
    responses: { 200: { description: 'Linked', schema: Edge.extend({ success: z.literal(true), message: z.string() }) } },
    errors: [...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'delete', path: '/lineages/:euid', tag: 'lineages', summary: 'Remove an edge', query: DeleteQuery, idempotent: true,
    responses: { 200: { description: 'Removed', schema: euidResult } }, errors: [...AUTH_ERRORS, 404, 422],
  }),
];
