import { Router } from 'express';
import { describePrincipal } from '../../src/auth/describePrincipal.js';

/** Bloom §1.1 `GET /auth/me`. (`POST /auth/logout` needs no credential: see ../index.ts.) */
export function authRoutes(): Router {
  const r = Router();
  r.get('/auth/me', (req, res) => {
    const p = describePrincipal(req.principal!);
    // Bloom's docs say user_id, its code emits id: send both.
    res.json({
      id: p.id,
      user_id: p.id,
      // Bloom: a token's caller is `token-user:<owner>`.
      email: p.authSource === 'user_token' ? `token-user:${p.id}` : p.kind === 'user' ? p.id : `${p.kind}:${p.name}`,
      kind: p.kind,
      role: p.role,
      roles: p.roles,
      groups: p.groups,
      permissions: p.permissions,
      auth_source: p.authSource,
      token_scope: p.tokenScope,
      token_id: p.credentialId,
    });
  });
  return r;
}
