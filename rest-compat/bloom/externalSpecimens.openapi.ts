// OpenAPI for Bloom §1.11 /external/specimens (atlas guard), from the route's own request schemas.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { AUTH_ERRORS, itemsTotal, jsonObject } from '../openapi/bloomShapes.js';
import { ByReferenceQuery, CreateBody, PatchBody } from './externalSpecimens.routes.js';

const ExternalSpecimen = z
  .object({
    specimen_euid: z.string(),
    container_euid: z.string().nullable(),
    status: z.string(),
    atlas_refs: z.record(z.string(), z.string()),
    properties: jsonObject,
    idempotency_key: z.string().nullable(),
    created: z.boolean().meta({ description: 'false when an Idempotency-Key replays an earlier create' }),
  })
  .meta({ id: 'ExternalSpecimen' });

const GUARD = 'A Bloom user token (blm_…) in group ENABLE_ATLAS_API: other credentials 401, outside the group 403.';

export const externalSpecimenSpecs: RouteSpec[] = [
  spec({
    method: 'post', path: '/external/specimens', tag: 'external-specimens', summary: 'Create a specimen (and its container) with Atlas references',
    description: `${GUARD} Idempotency-Key as Bloom: a replay answers the current state with created false, whatever the body.`,
    body: CreateBody, idempotent: true,
    responses: { 200: { description: 'Created, or replayed', schema: ExternalSpecimen } }, errors: [400, ...AUTH_ERRORS, 404, 422],
  }),
  spec({
    method: 'get', path: '/external/specimens/by-reference', tag: 'external-specimens', summary: 'Specimens matching every given reference',
    description: GUARD, query: ByReferenceQuery,
    responses: { 200: { description: 'The matches (no references: none)', schema: itemsTotal(ExternalSpecimen) } }, errors: [...AUTH_ERRORS, 422],
  }),
  spec({
    method: 'get', path: '/external/specimens/:euid', tag: 'external-specimens', summary: 'One live specimen', description: GUARD,
    responses: { 200: { description: 'The specimen', schema: ExternalSpecimen } }, errors: [...AUTH_ERRORS, 404],
  }),
  spec({
    method: 'patch', path: '/external/specimens/:euid', tag: 'external-specimens', summary: 'Update name, status, container, properties or references',
    description: GUARD, body: PatchBody, idempotent: true,
    responses: { 200: { description: 'Updated', schema: ExternalSpecimen } }, errors: [400, ...AUTH_ERRORS, 404, 409, 422],
  }),
];
