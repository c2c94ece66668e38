// OpenAPI for Bloom §1.4 /content (samples, specimens, reagents), from the route's own request schemas.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { AUTH_ERRORS, euidResult, offsetPage, readJsonAddl } from '../openapi/bloomShapes.js';
import { DeleteQuery, ListQuery, ReagentBody, SampleBody, SpecimenBody, UpdateBody } from './content.routes.js';

const Summary = z.object({ euid: z.string(), name: z.string(), content_type: z.string(), subtype: z.string(), status: z.string() });

const create = (path: string, body: z.ZodType, kind: string) =>
  spec({
    method: 'post', path, tag: 'content', summary: `Create a ${kind} from its template EUID`, body, idempotent: true,
    responses: { 200: { description: 'Created', schema: euidResult } }, errors: [400, ...AUTH_ERRORS, 404, 409, 422],
  });

export const contentSpecs: RouteSpec[] = [
  spec({
    method: 'get', path: '/content', tag: 'content', summary: 'List live content (paged, filtered)', query: ListQuery,
    responses: { 200: { description: 'A page of content', schema: offsetPage(Summary) } }, errors: [...AUTH_ERRORS, 422],
  }),
  create('/content/samples', SampleBody, 'sample'),
  create('/content/specimens', SpecimenBody, 'specimen'),
  create('/content/reagents', ReagentBody, 'reagent'),
  spec({
    method: 'get', path: '/content/:euid', tag: 'content', summary: 'One live content object',
    responses: { 200: { description: 'The content', schema: Summary.extend({ json_addl: readJsonAddl }) } }, errors: [...AUTH_ERRORS, 404],
  }),
  spec({
    method: 'put', path: '/content/:euid', tag: 'content', summary: 'Update name, status, properties or measures', body: UpdateBody, idempotent: true,
    responses: { 200: { description: 'Updated', schema: euidResult } }, errors: [...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'delete', path: '/content/:euid', tag: 'content', summary: 'Soft delete (or hard delete, ADMIN)', query: DeleteQuery, idempotent: true,
    responses: { 200: { description: 'Deleted', schema: euidResult } }, errors: [...AUTH_ERRORS, 404, 409, 422],
  }),
];
