// OpenAPI for Bloom §1.3 /containers (contents, layout, TSV bulk create), from the route's own request schemas.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { AUTH_ERRORS, euidResult, offsetPage, readJsonAddl, successMessage } from '../openapi/bloomShapes.js';
import { CreateBody, DeleteQuery, GetQuery, ListQuery, PlaceBody, UpdateBody } from './containers.routes.js';

const Summary = z.object({ euid: z.string(), name: z.string(), container_type: z.string(), subtype: z.string(), status: z.string() });
const ContainerDetail = Summary.extend({
  json_addl: readJsonAddl,
  contents: z
    .array(z.object({ euid: z.string(), name: z.string(), type: z.string(), position: z.string().nullable() }))
    .optional()
    .meta({ description: 'With include_contents=true: the live content placed in it (position null in a tube)' }),
});

const Layout = z.object({
  container_euid: z.string(),
  container_type: z.string(),
  layout: z.record(
    z.string(),
    z.object({
      euid: z.null().meta({ description: 'Wells are positions of the layout, not objects' }),
      name: z.string(),
      status: z.string(),
      contents: z.array(z.object({ euid: z.string(), name: z.string(), type: z.string() })),
    }),
  ),
  well_count: z.number().int().min(0),
});

const BulkResult = z.object({
  success: z.literal(true),
  total_rows: z.number().int().min(0),
  created_count: z.number().int().min(0),
  error_count: z.number().int().min(0),
  created: z.array(z.object({ row: z.number().int(), container_euid: z.string(), content_euid: z.string().nullable() })),
  errors: z.array(z.object({ row: z.number().int(), error: z.string() })),
});

const TSV_DESCRIPTION =
  'A header row, then one container per row: container_template_euid or container_type (type:subtype[:version]), '
  + 'container_name, content_template_euid or content_type, content_name, content_properties (JSON), position';
const BulkUpload = z.object({ file: z.string().meta({ format: 'binary', description: TSV_DESCRIPTION }) });
const RawTsv = z.string().meta({ description: TSV_DESCRIPTION });

export const containerSpecs: RouteSpec[] = [
  spec({
    method: 'get', path: '/containers', tag: 'containers', summary: 'List live containers (paged, filtered)', query: ListQuery,
    responses: { 200: { description: 'A page of containers', schema: offsetPage(Summary) } }, errors: [...AUTH_ERRORS, 422],
  }),
  spec({
    method: 'get', path: '/containers/:euid', tag: 'containers', summary: 'One container, optionally with its contents', query: GetQuery,
    responses: { 200: { description: 'The container', schema: ContainerDetail } }, errors: [...AUTH_ERRORS, 404, 422],
  }),
  spec({
    method: 'post', path: '/containers', tag: 'containers', summary: 'Create a container from its template EUID', body: CreateBody, idempotent: true,
    responses: { 200: { description: 'Created', schema: euidResult } }, errors: [400, ...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'put', path: '/containers/:euid', tag: 'containers', summary: 'Update a container (`{}` is a no-op)', body: UpdateBody, idempotent: true,
    responses: { 200: { description: 'Updated', schema: euidResult } }, errors: [...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'delete', path: '/containers/:euid', tag: 'containers', summary: 'Soft delete (or hard delete, ADMIN)', query: DeleteQuery, idempotent: true,
    responses: { 200: { description: 'Deleted', schema: euidResult } }, errors: [...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'post', path: '/containers/:euid/contents', tag: 'containers', summary: 'Place content in the container (at a well for plates)', body: PlaceBody,
    idempotent: true, responses: { 200: { description: 'Placed', schema: successMessage } }, errors: [...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'delete', path: '/containers/:euid/contents/:content', tag: 'containers', summary: 'Take content out of the container', idempotent: true,
    responses: { 200: { description: 'Removed', schema: successMessage } }, errors: [...AUTH_ERRORS, 404],
  }),
  spec({
    method: 'get', path: '/containers/:euid/layout', tag: 'containers', summary: 'The wells of the container and what each holds',
    responses: { 200: { description: 'The layout (a tube: {} and 0)', schema: Layout } }, errors: [...AUTH_ERRORS, 404],
  }),
  spec({
    method: 'post', path: '/containers/bulk-create', tag: 'containers', summary: 'Create containers (and their content) from a TSV, at most 200 rows',
    bodyContent: { 'multipart/form-data': BulkUpload, 'text/tab-separated-values': RawTsv, 'text/plain': RawTsv },
    idempotent: true, responses: { 200: { description: 'Rows created and rows refused', schema: BulkResult } }, errors: [...AUTH_ERRORS, 422],
  }),
];
