// OpenAPI for Bloom §1.14 /admin (ADMIN only), from the route's own request schemas.
import { z } from 'zod';
import { spec, type RouteSpec } from '../openapi/routeSpec.js';
import { AUTH_ERRORS, isoTime, itemsTotal } from '../openapi/bloomShapes.js';
import { IssueBody, MemberBody, TokenListQuery } from './admin.routes.js';
import { usageQuery } from './userTokens.routes.js';
import { BloomToken, TokenUse } from './userTokens.openapi.js';

const Group = z.object({
  id: z.string(), group_code: z.string(), name: z.string(), description: z.string(),
  is_system_group: z.boolean(), is_active: z.boolean(), revision_no: z.number().int(), created_at: isoTime.nullable(),
});
const Membership = z.object({ id: z.string(), group_id: z.string(), group_code: z.string(), user_id: z.string(), is_active: z.boolean() });
const Member = Membership.extend({
  joined_at: isoTime.nullable(), added_by: z.string().nullable(), deactivated_at: isoTime.nullable(), deactivated_by: z.string().nullable(),
});
const ADMIN = 'ADMIN only (403 "Admin privileges required").';

export const adminSpecs: RouteSpec[] = [
  spec({
    method: 'get', path: '/admin/groups', tag: 'admin', summary: 'The system groups', description: ADMIN,
    responses: { 200: { description: 'The groups', schema: itemsTotal(Group) } }, errors: [...AUTH_ERRORS],
  }),
  spec({
    method: 'get', path: '/admin/groups/:code/members', tag: 'admin', summary: "A group's members (history from the audit log)", description: ADMIN,
    responses: { 200: { description: 'The members', schema: itemsTotal(Member) } }, errors: [...AUTH_ERRORS, 404],
  }),
  spec({
    method: 'post', path: '/admin/groups/:code/members', tag: 'admin', summary: 'Add a user to a group (again: result "exists")', description: ADMIN,
    body: MemberBody, idempotent: true,
    responses: {
      200: { description: 'Added', schema: Membership.extend({ result: z.enum(['added', 'exists', 'reactivated']), message: z.string() }) },
    },
    errors: [400, ...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'delete', path: '/admin/groups/:code/members/:userId', tag: 'admin', summary: 'Take a user out of a group', description: ADMIN,
    idempotent: true, responses: { 200: { description: 'Removed', schema: Membership } }, errors: [...AUTH_ERRORS, 404, 409],
  }),
  spec({
    method: 'get', path: '/admin/user-tokens', tag: 'admin', summary: "Every user's tokens (or one user's)", description: ADMIN, query: TokenListQuery,
    responses: {
      200: { description: 'The tokens', schema: itemsTotal(BloomToken.omit({ revocation_reason: true, is_expired: true })) },
    },
    errors: [...AUTH_ERRORS, 422],
  }),
  spec({
    method: 'post', path: '/admin/user-tokens/issue', tag: 'admin', summary: 'Mint a token for a user (the plaintext is shown once)', description: ADMIN,
    body: IssueBody, idempotent: true,
    responses: {
      200: {
        description: 'Minted',
        schema: z.object({
          token: BloomToken.pick({ token_id: true, user_id: true, token_name: true, token_prefix: true, scope: true, status: true, expires_at: true, created_at: true }),
          plaintext_token: z.string(),
          message: z.string(),
        }),
      },
    },
    errors: [400, ...AUTH_ERRORS, 404, 409, 422],
  }),
  spec({
    method: 'delete', path: '/admin/user-tokens/:tokenId', tag: 'admin', summary: "Revoke any user's token", description: ADMIN, idempotent: true,
    responses: {
      200: {
        description: 'Revoked',
        schema: z.object({ token_id: z.string(), user_id: z.string(), token_name: z.string(), status: z.enum(['ACTIVE', 'REVOKED']), revoked_at: isoTime.nullable() }),
      },
    },
    errors: [...AUTH_ERRORS, 404, 409],
  }),
  spec({
    method: 'get', path: '/admin/user-tokens/:tokenId/usage', tag: 'admin', summary: "Recent uses of any user's token", description: ADMIN,
    query: usageQuery(2000),
    responses: { 200: { description: 'The uses', schema: itemsTotal(TokenUse.extend({ user_id: z.string() })) } }, errors: [...AUTH_ERRORS, 404, 422],
  }),
];
