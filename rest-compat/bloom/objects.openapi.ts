// OpenAPI for Bloom §1.2 /objects, from the route's own request schemas.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { AUTH_ERRORS, euidResult, isoTime, offsetPage, readJsonAddl } from '../openapi/bloomShapes.js';
import { CreateBody, ListQuery, UpdateBody } from './objects.routes.js';

const Summary = z.object({ euid: z.string(), name: z.string(), type: z.string(), subtype: z.string(), status: z.string() });
const ObjectList = offsetPage(Summary).extend({ pages: z.number().int().min(0) });
const ObjectDetail = Summary.extend({ json_addl: readJsonAddl, created_at: isoTime });

/** The handler reads `hard_delete === 'true'` itself; documented here. */
const HardDeleteQuery = z.object({ hard_delete: z.enum(['true', 'false']).optional().meta({ description: 'true: remove for good (ADMIN)' }) });

export const objectSpecs: RouteSpec[] = [
  spec({
    method: 'get', path: '/objects', tag: 'objects', summary: 'List live objects (paged, filtered)', query: ListQuery,
    responses: { 200: { description: 'A page of objects', schema: ObjectList } }, errors: [...AUTH_ERRORS, 422],
  }),
  spec({
    method: 'get', path: '/objects/:euid', tag: 'objects', summary: 'One live object',
    responses: { 200: { description: 'The object', schema: ObjectDetail } }, errors: [...AUTH_ERRORS, 404],
  }),
  spec({
    method: 'post', path: '/objects', tag: 'objects', summary: 'Create an object from template category/type/subtype@1.0', body: CreateBody,
    idempotent: true, responses: { 200: { description: 'Created', schema: euidResult } }, errors: [...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'put', path: '/objects/:euid', tag: 'objects', summary: 'Update name, status or properties (at least one)', body: UpdateBody,
    idempotent: true, responses: { 200: { description: 'Updated', schema: euidResult } }, errors: [...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'delete', path: '/objects/:euid', tag: 'objects', summary: 'Soft delete (or hard delete, ADMIN)', query: HardDeleteQuery,
    idempotent: true, responses: { 200: { description: 'Deleted', schema: euidResult } }, errors: [...AUTH_ERRORS, 404, 409],
  }),
];
