// Bloom §1.14 /api/v1/admin: system groups and their members, and every user's
// tokens. Shapes only; the rules live in src/services/accounts (accountPolicy,
// groupMembership, issueUserToken, userTokenAccess, listAllUserTokens).
import { Router } from 'express';
import { z } from 'zod';
import { write } from '../../src/services/write.js';
import { requireAdminPrivileges } from '../../src/services/accounts/accountPolicy.js';
import { addGroupMember, listGroupMembers, listGroups, removeGroupMember, type GroupInfo, type GroupMembership } from '../../src/services/accounts/groupMembership.js';
import { issueUserToken } from '../../src/services/accounts/issueUserToken.js';
import { countTokenUses, listAllUserTokens } from '../../src/services/accounts/listAllUserTokens.js';
import { listAccessibleTokenUses, revokeAccessibleToken } from '../../src/services/accounts/userTokenAccess.js';
import type { RestDoor } from '../../src/http/app.js';
import { parseBody } from './validation.js';
import { CREATED_MESSAGE, CreateTokenBody, TOKEN_PREFIX, days, iso, toBloomToken, toBloomUse, tokenStatus, usageQuery } from './userTokens.routes.js';

export const MemberBody = z.object({ user_id: z.string().min(1) });

export const IssueBody = CreateTokenBody.extend({ user_id: z.string().min(1), expires_in_days: days(30) });

export const TokenListQuery = z.object({ user_id: z.string().min(1).optional() });

const toBloomGroup = (g: GroupInfo) => ({
  id: g.code,
  group_code: g.code,
  name: g.name,
  description: g.description,
  is_system_group: true,
  is_active: true,
  revision_no: 1,
  // Built in, never created.
  created_at: null,
});

const membershipId = (m: GroupMembership) => `${m.groupCode}:${m.userEuid}`;

const toBloomMembership = (m: GroupMembership) => ({
  id: membershipId(m),
  group_id: m.groupCode,
  group_code: m.groupCode,
  user_id: m.userEuid,
  is_active: m.active,
});

const RESULT_MESSAGE = {
  added: (user: string, group: string) => `Added ${user} to ${group}`,
  exists: (user: string, group: string) => `${user} is already active in ${group}`,
  reactivated: (user: string, group: string) => `Reactivated ${user} membership in ${group}`,
} as const;

export function adminRoutes(door: RestDoor): Router {
  const r = Router();

  r.get(['/admin/groups', '/admin/groups/'], (req, res) => {
    requireAdminPrivileges(req.principal!);
    const groups = listGroups();
    res.json({ items: groups.map(toBloomGroup), total: groups.length });
  });

  r.get(['/admin/groups/:code/members', '/admin/groups/:code/members/'], async (req, res) => {
    requireAdminPrivileges(req.principal!);
    const { members } = await listGroupMembers(door.context(req).db, String(req.params.code));
    res.json({
      items: members.map((m) => ({
        ...toBloomMembership(m),
        joined_at: iso(m.joinedAt),
        added_by: m.addedBy,
        deactivated_at: iso(m.deactivatedAt),
        deactivated_by: m.deactivatedBy,
      })),
      total: members.length,
    });
  });

  r.post(['/admin/groups/:code/members', '/admin/groups/:code/members/'], door.idempotent(MemberBody), async (req, res) => {
    requireAdminPrivileges(req.principal!);
    const b = parseBody(MemberBody, req.body);
    const out = await write(door.context(req), 'addGroupMember', { groupCode: String(req.params.code), userRef: b.user_id }, addGroupMember);
    res.json({ ...toBloomMembership(out.membership), result: out.result, message: RESULT_MESSAGE[out.result](out.membership.userEuid, out.group.code) });
  });

  r.delete('/admin/groups/:code/members/:userId', door.idempotent(), async (req, res) => {
    requireAdminPrivileges(req.principal!);
    const out = await write(door.context(req), 'removeGroupMember', { groupCode: String(req.params.code), userRef: String(req.params.userId) }, removeGroupMember);
    res.json(toBloomMembership(out.membership));
  });

  r.get(['/admin/user-tokens', '/admin/user-tokens/'], async (req, res) => {
    requireAdminPrivileges(req.principal!);
    const q = parseBody(TokenListQuery, req.query, 'query');
    const db = door.context(req).db;
    const rows = await listAllUserTokens(db, q.user_id);
    const counts = await countTokenUses(db, rows.map((t) => t.id));
    res.json({
      items: rows.map((t) => {
        const { revocation_reason: _r, is_expired: _e, ...token } = toBloomToken(t, counts.get(t.id) ?? 0);
        return token;
      }),
      total: rows.length,
    });
  });

  r.post('/admin/user-tokens/issue', door.idempotent(IssueBody), async (req, res) => {
    requireAdminPrivileges(req.principal!);
    const b = parseBody(IssueBody, req.body);
    const out = await write(door.context(req), 'createUserToken', { userRef: b.user_id, name: b.token_name, scope: b.scope, expiresInDays: b.expires_in_days }, issueUserToken, {
      secrets: (o) => [o.secret],
    });
    const t = out.token;
    res.json({
      token: { token_id: t.tokenId, user_id: t.userEuid, token_name: t.name, token_prefix: TOKEN_PREFIX, scope: t.scope, status: tokenStatus(t), expires_at: iso(t.expiresAt), created_at: iso(t.createdAt) },
      plaintext_token: out.secret,
      message: CREATED_MESSAGE,
    });
  });

  r.delete('/admin/user-tokens/:tokenId', door.idempotent(), async (req, res) => {
    requireAdminPrivileges(req.principal!);
    const t = await write(door.context(req), 'revokeUserToken', { tokenId: String(req.params.tokenId) }, revokeAccessibleToken);
    res.json({ token_id: t.tokenId, user_id: t.userEuid, token_name: t.name, status: tokenStatus(t), revoked_at: iso(t.revokedAt) });
  });

  r.get('/admin/user-tokens/:tokenId/usage', async (req, res) => {
    requireAdminPrivileges(req.principal!);
    const q = parseBody(usageQuery(2000), req.query, 'query');
    const ctx = door.context(req);
    const { token, uses } = await listAccessibleTokenUses(ctx.db, ctx.actor, String(req.params.tokenId), q.limit);
    res.json({ items: uses.map((u) => ({ ...toBloomUse(token.tokenId, u), user_id: token.userEuid })), total: uses.length });
  });

  return r;
}
