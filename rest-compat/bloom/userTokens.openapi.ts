// OpenAPI for Bloom §1.13 /user-tokens, from the route's own request schemas.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { AUTH_ERRORS, isoTime, itemsTotal } from '../openapi/bloomShapes.js';
import { CreateTokenBody, usageQuery } from './userTokens.routes.js';

export const BloomToken = z
  .object({
    token_id: z.string(),
    user_id: z.string(),
    token_name: z.string(),
    token_prefix: z.string().meta({ description: 'Masked: only the hash of the secret is stored' }),
    scope: z.string(),
    status: z.enum(['ACTIVE', 'REVOKED']),
    expires_at: isoTime,
    last_used_at: isoTime.nullable(),
    revoked_at: isoTime.nullable(),
    revocation_reason: z.string().nullable(),
    created_at: isoTime,
    usage_count: z.number().int().min(0),
    is_expired: z.boolean(),
  })
  .meta({ id: 'BloomToken' });

export const TokenUse = z.object({
  id: z.null(),
  token_id: z.string(),
  endpoint: z.string(),
  http_method: z.string(),
  response_status: z.number().int(),
  ip_address: z.null(),
  user_agent: z.null(),
  request_metadata: z.object({ query_params: z.null(), content_type: z.null() }),
  request_timestamp: isoTime,
});

const PERSON = 'A person (user token or JWT): service accounts are refused with 403.';

export const userTokenSpecs: RouteSpec[] = [
  spec({
    method: 'get', path: '/user-tokens', tag: 'user-tokens', summary: "The caller's own tokens", description: PERSON,
    responses: { 200: { description: 'The tokens', schema: itemsTotal(BloomToken) } }, errors: [...AUTH_ERRORS],
  }),
  spec({
    method: 'post', path: '/user-tokens', tag: 'user-tokens', summary: 'Mint a token for the caller (the plaintext is shown once)', description: PERSON,
    body: CreateTokenBody, idempotent: true,
    responses: {
      200: { description: 'Minted', schema: z.object({ token: BloomToken, plaintext_token: z.string(), message: z.string() }) },
    },
    errors: [400, ...AUTH_ERRORS, 409, 422],
  }),
  spec({
    method: 'delete', path: '/user-tokens/:tokenId', tag: 'user-tokens', summary: 'Revoke one of the caller\'s tokens (again: 200)', description: PERSON,
    idempotent: true,
    responses: { 200: { description: 'Revoked', schema: z.object({ token: BloomToken, message: z.string() }) } }, errors: [...AUTH_ERRORS, 404, 409],
  }),
  spec({
    method: 'get', path: '/user-tokens/:tokenId/usage', tag: 'user-tokens', summary: 'Recent uses of one of the caller\'s tokens', description: PERSON,
    query: usageQuery(1000),
    responses: { 200: { description: 'The uses', schema: itemsTotal(TokenUse) } }, errors: [...AUTH_ERRORS, 404, 422],
  }),
];
