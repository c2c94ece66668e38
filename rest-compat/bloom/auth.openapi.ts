// OpenAPI for Bloom §1.1: the route index, auth/me and auth/logout.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { successMessage } from '../openapi/bloomShapes.js';

const RouteIndex = z.object({
  version: z.literal('v1'),
  status: z.literal('stable'),
  documentation: z.string(),
  endpoints: z.record(z.string(), z.string()),
});

const Me = z.object({
  id: z.string(),
  /** Bloom's docs say user_id, its code emits id: both are sent. */
  user_id: z.string(),
  email: z.string(),
  kind: z.enum(['service_account', 'user', 'system']),
  role: z.enum(['READ_ONLY', 'READ_WRITE', 'ADMIN']).nullable(),
  roles: z.array(z.enum(['READ_ONLY', 'READ_WRITE', 'ADMIN'])),
  groups: z.array(z.string()),
  permissions: z.array(z.string()),
  auth_source: z.enum(['api_key', 'user_token', 'jwt', 'bootstrap', 'system']),
  token_scope: z.string().nullable(),
  token_id: z.string().nullable(),
});

export const authSpecs: RouteSpec[] = [
  spec({
    method: 'get', path: '/', tag: 'root', auth: false, summary: 'Route index: one key per mounted group',
    responses: { 200: { description: 'The route groups', schema: RouteIndex } },
  }),
  spec({
    method: 'get', path: '/auth/me', tag: 'auth', summary: 'Who the credential is: role, groups, permissions, auth source',
    responses: { 200: { description: 'The caller', schema: Me } },
    errors: [401],
  }),
  spec({
    method: 'post', path: '/auth/logout', tag: 'auth', auth: false, summary: 'Log out (stateless: always succeeds)',
    responses: { 200: { description: 'Logged out', schema: successMessage } },
  }),
];
