// OpenAPI for Bloom §1.7 /templates, from the route's own request schemas.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { AUTH_ERRORS, jsonObject, offsetPage } from '../openapi/bloomShapes.js';
import { DomainQuery, ListQuery } from './templates.routes.js';

const Item = z.object({
  euid: z.string(), name: z.string(), category: z.string(), type: z.string(), subtype: z.string(), polymorphic_discriminator: z.string(),
});

export const templateSpecs: RouteSpec[] = [
  spec({
    method: 'get', path: '/templates', tag: 'templates', summary: 'List templates (domain_code required, ignored)', query: ListQuery,
    responses: { 200: { description: 'A page of templates', schema: offsetPage(Item) } }, errors: [...AUTH_ERRORS, 422],
  }),
  spec({
    method: 'get', path: '/templates/by-category/:category', tag: 'templates', summary: 'Templates of one category (unknown: count 0)', query: DomainQuery,
    responses: {
      200: {
        description: 'The templates',
        schema: z.object({
          category: z.string(),
          templates: z.array(z.object({ euid: z.string(), name: z.string(), type: z.string(), subtype: z.string() })),
          count: z.number().int().min(0),
        }),
      },
    },
    errors: [...AUTH_ERRORS, 422],
  }),
  spec({
    method: 'get', path: '/templates/:euid', tag: 'templates', summary: 'One template with its form and property schema', query: DomainQuery,
    responses: { 200: { description: 'The template', schema: Item.extend({ json_addl: jsonObject }) } }, errors: [...AUTH_ERRORS, 404, 422],
  }),
];
