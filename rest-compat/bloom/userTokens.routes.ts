// Bloom §1.13 /api/v1/user-tokens: a person's own tokens. Shapes only; the minting
// and ownership rules live in src/services/accounts (accountPolicy, issueUserToken,
// userTokenAccess), the same createUserToken/revokeUserToken GraphQL uses.
import { Router } from 'express';
import { z } from 'zod';
import { requirePermission } from '../../src/auth/authorize.js';
import { write } from '../../src/services/write.js';
import { requireUserActor } from '../../src/services/accounts/accountPolicy.js';
import { issueUserToken } from '../../src/services/accounts/issueUserToken.js';
import { listUserTokens } from '../../src/services/accounts/readAccounts.js';
import { countTokenUses } from '../../src/services/accounts/listAllUserTokens.js';
import { listAccessibleTokenUses, revokeAccessibleToken } from '../../src/services/accounts/userTokenAccess.js';
import type { RestDoor } from '../../src/http/app.js';
import { parseBody } from './validation.js';

/** Days as pydantic reads an int: a number, or a string of digits ("7"). */
export const days = (fallback: number) =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v), z.number().int().min(1).max(3650)).default(fallback);

export const CreateTokenBody = z.object({
  token_name: z.string().min(3).max(120),
  scope: z.string().default('internal_ro'),
  expires_in_days: days(2),
  /** Accepted, not stored. */
  note: z.string().nullish(),
});

export const usageQuery = (max: number) => z.object({ limit: z.coerce.number().int().min(1).max(max).default(100) });

/** Bloom's ISO form: `+00:00`, not `Z`. */
export const iso = (d: Date | null) => (d ? d.toISOString().replace(/Z$/, '+00:00') : null);

/** The secret is never stored, so its first characters cannot be shown later: the prefix is masked. */
export const TOKEN_PREFIX = 'blm_********...';

export interface TokenRow {
  tokenId: string;
  userEuid: string;
  name: string;
  scope: string;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

/** Bloom keeps status ACTIVE until revoked; expiry is reported apart (is_expired). */
export const tokenStatus = (t: TokenRow) => (t.revokedAt ? 'REVOKED' : 'ACTIVE');

export const toBloomToken = (t: TokenRow, usageCount: number) => ({
  token_id: t.tokenId,
  user_id: t.userEuid,
  token_name: t.name,
  token_prefix: TOKEN_PREFIX,
  scope: t.scope,
  status: tokenStatus(t),
  expires_at: iso(t.expiresAt),
  last_used_at: iso(t.lastUsedAt),
  revoked_at: iso(t.revokedAt),
  revocation_reason: t.revokedAt ? 'revoked_by_user' : null,
  created_at: iso(t.createdAt),
  usage_count: usageCount,
  is_expired: t.expiresAt.getTime() <= Date.now(),
});

export const toBloomUse = (tokenId: string, u: { usedAt: Date; method: string; route: string; status: number }) => ({
  // Usage rows have no public id.
  id: null,
  token_id: tokenId,
  endpoint: u.route,
  http_method: u.method,
  response_status: u.status,
  ip_address: null,
  user_agent: null,
  request_metadata: { query_params: null, content_type: null },
  request_timestamp: iso(u.usedAt),
});

export const CREATED_MESSAGE = 'Store this token now; it will not be shown again.';

export function userTokenRoutes(door: RestDoor): Router {
  const r = Router();
  const paths = ['/user-tokens', '/user-tokens/'];

  r.get(paths, async (req, res) => {
    requirePermission(req.principal!, 'tokens:self');
    requireUserActor(req.principal!);
    const ctx = door.context(req);
    const rows = await listUserTokens(ctx.db, ctx.actor);
    const counts = await countTokenUses(ctx.db, rows.map((t) => t.id));
    res.json({ items: rows.map((t) => toBloomToken(t, counts.get(t.id) ?? 0)), total: rows.length });
  });

  r.post(paths, door.idempotent(CreateTokenBody), async (req, res) => {
    requirePermission(req.principal!, 'tokens:self');
    requireUserActor(req.principal!);
    const b = parseBody(CreateTokenBody, req.body);
    const out = await write(door.context(req), 'createUserToken', { name: b.token_name, scope: b.scope, expiresInDays: b.expires_in_days }, issueUserToken, {
      secrets: (o) => [o.secret],
    });
    res.json({ token: toBloomToken(out.token, 0), plaintext_token: out.secret, message: CREATED_MESSAGE });
  });

  r.delete('/user-tokens/:tokenId', door.idempotent(), async (req, res) => {
    requirePermission(req.principal!, 'tokens:self');
    requireUserActor(req.principal!);
    const ctx = door.context(req);
    const row = await write(ctx, 'revokeUserToken', { tokenId: String(req.params.tokenId) }, revokeAccessibleToken);
    const counts = await countTokenUses(ctx.db, [row.id]);
    res.json({ token: toBloomToken(row, counts.get(row.id) ?? 0), message: 'Token revoked' });
  });

  r.get('/user-tokens/:tokenId/usage', async (req, res) => {
    requirePermission(req.principal!, 'tokens:self');
    requireUserActor(req.principal!);
    const q = parseBody(usageQuery(1000), req.query, 'query');
    const ctx = door.context(req);
    const { token, uses } = await listAccessibleTokenUses(ctx.db, ctx.actor, String(req.params.tokenId), q.limit);
    res.json({ items: uses.map((u) => toBloomUse(token.tokenId, u)), total: uses.length });
  });

  return r;
}
