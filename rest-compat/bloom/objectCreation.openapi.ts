// OpenAPI for Bloom §1.6 /object-creation, from the route's own request schemas.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { AUTH_ERRORS, jsonObject } from '../openapi/bloomShapes.js';
import { CreateBody, SubtypesQuery, TemplateQuery, TypesQuery } from './objectCreation.routes.js';

const GUARD = 'category and type: no path separators, no "..", only [a-z0-9_-] (400, in that order)';

export const objectCreationSpecs: RouteSpec[] = [
  spec({
    method: 'get', path: '/object-creation/categories', tag: 'object-creation', summary: 'Template categories a caller may pick',
    responses: {
      200: { description: 'The categories', schema: z.object({ categories: z.array(z.object({ name: z.string(), display_name: z.string(), type_count: z.number().int() })) }) },
    },
    errors: [...AUTH_ERRORS],
  }),
  spec({
    method: 'get', path: '/object-creation/types', tag: 'object-creation', summary: 'Types of a category', description: GUARD, query: TypesQuery,
    responses: {
      200: {
        description: 'The types',
        schema: z.object({ category: z.string(), types: z.array(z.object({ name: z.string(), display_name: z.string(), subtype_count: z.number().int() })) }),
      },
    },
    errors: [400, ...AUTH_ERRORS, 404, 422],
  }),
  spec({
    method: 'get', path: '/object-creation/subtypes', tag: 'object-creation', summary: 'Subtypes (with versions) of category/type', description: GUARD,
    query: SubtypesQuery,
    responses: {
      200: {
        description: 'The subtypes',
        schema: z.object({
          category: z.string(),
          type: z.string(),
          subtypes: z.array(z.object({ name: z.string(), display_name: z.string(), versions: z.array(z.string()), description: z.string() })),
        }),
      },
    },
    errors: [400, ...AUTH_ERRORS, 404, 422],
  }),
  spec({
    method: 'get', path: '/object-creation/template', tag: 'object-creation', summary: 'One template version as a creation form', description: GUARD,
    query: TemplateQuery,
    responses: {
      200: {
        description: 'The template',
        schema: z.object({
          category: z.string(), type: z.string(), subtype: z.string(), version: z.string(),
          template: jsonObject, properties: jsonObject, description: z.string(),
        }),
      },
    },
    errors: [400, ...AUTH_ERRORS, 404, 422],
  }),
  spec({
    method: 'post', path: '/object-creation/create', tag: 'object-creation', summary: 'Create an object from the four parts of a template code',
    body: CreateBody, idempotent: true,
    responses: {
      200: {
        description: 'Created',
        schema: z.object({ euid: z.string(), name: z.string(), category: z.string(), type: z.string(), subtype: z.string(), message: z.string() }),
      },
    },
    errors: [...AUTH_ERRORS, 404, 409, 422],
  }),
];
