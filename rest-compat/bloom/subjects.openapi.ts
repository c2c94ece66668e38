// OpenAPI for Bloom §1.8 /subjects, from the route's own request schemas.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { AUTH_ERRORS, euidResult, offsetPage, readJsonAddl } from '../openapi/bloomShapes.js';
import { CreateBody, ListQuery, UpdateBody } from './subjects.routes.js';

const Summary = z.object({ euid: z.string(), name: z.string(), type: z.string(), subtype: z.string(), status: z.string() });

/** The handler reads `hard_delete === 'true'` itself; documented here. */
const HardDeleteQuery = z.object({ hard_delete: z.enum(['true', 'false']).optional().meta({ description: 'true: remove for good (ADMIN)' }) });

export const subjectSpecs: RouteSpec[] = [
  spec({
    method: 'get', path: '/subjects', tag: 'subjects', summary: 'List live subjects (paged, filtered)', query: ListQuery,
    responses: { 200: { description: 'A page of subjects', schema: offsetPage(Summary) } }, errors: [...AUTH_ERRORS, 422],
  }),
  spec({
    method: 'get', path: '/subjects/:euid', tag: 'subjects', summary: 'One live subject',
    responses: { 200: { description: 'The subject', schema: Summary.extend({ json_addl: readJsonAddl }) } }, errors: [...AUTH_ERRORS, 404],
  }),
  spec({
    method: 'get', path: '/subjects/:euid/specimens', tag: 'subjects', summary: "The subject's live specimen and sample children",
    responses: {
      200: { description: 'The specimens', schema: z.object({ subject_euid: z.string(), specimens: z.array(Summary), count: z.number().int().min(0) }) },
    },
    errors: [...AUTH_ERRORS, 404],
  }),
  spec({
    method: 'post', path: '/subjects', tag: 'subjects', summary: 'Create a subject from its template EUID (external_id unique: 409)', body: CreateBody,
    idempotent: true, responses: { 200: { description: 'Created', schema: euidResult } }, errors: [400, ...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'put', path: '/subjects/:euid', tag: 'subjects', summary: 'Update name, status or properties', body: UpdateBody, idempotent: true,
    responses: { 200: { description: 'Updated', schema: euidResult } }, errors: [...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'delete', path: '/subjects/:euid', tag: 'subjects', summary: 'Soft delete (or hard delete, ADMIN)', query: HardDeleteQuery, idempotent: true,
    responses: { 200: { description: 'Deleted', schema: euidResult } }, errors: [...AUTH_ERRORS, 404, 409],
  }),
];
