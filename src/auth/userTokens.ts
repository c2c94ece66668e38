// Bloom-style user tokens: `blm_<64 hex>`, looked up by SHA-256, capped by scope,
// every use recorded.
import type { Database } from '../db/database.js';
import { AppError } from '../errors/index.js';
import type { Principal, Role } from './actor.js';
import { USER_TOKEN_RE, hashSecret } from './credentials.js';
import { isRole, minRole } from './permissions.js';

export const TOKEN_SCOPES = { internal_ro: 'READ_ONLY', internal_rw: 'READ_WRITE', admin: 'ADMIN' } as const satisfies Record<string, Role>;
export type TokenScope = keyof typeof TOKEN_SCOPES;
export const isTokenScope = (s: string): s is TokenScope => Object.hasOwn(TOKEN_SCOPES, s);

interface TokenRow {
  id: number;
  token_id: string;
  scope: string;
  expires_at: Date;
  revoked_at: Date | null;
  subject: string;
  name: string;
  role: string | null;
  groups: string[];
  active: boolean;
}

const unauthenticated = (message: string, detail: string) => new AppError('UNAUTHENTICATED', message, detail);

export function createUserTokenVerifier(db: Database) {
  return {
    async verify(token: string): Promise<Principal> {
      if (!USER_TOKEN_RE.test(token)) throw unauthenticated('Token not found', 'token_not_found');
      const [row] = await db.query<TokenRow>(
        `SELECT t.id, t.token_id, t.scope, t.expires_at, t.revoked_at, u.subject, u.name, u.role, u.groups, u.active
         FROM user_token t JOIN app_user u ON u.id = t.user_id WHERE t.hash = $1`,
        [hashSecret(token)],
        { prepare: true },
      );
      if (!row) throw unauthenticated('Token not found', 'token_not_found');
      if (row.revoked_at) throw unauthenticated('Token is revoked', 'token_revoked');
      if (new Date(row.expires_at).getTime() <= Date.now()) throw unauthenticated('Token is expired', 'token_expired');
      if (!row.active) throw unauthenticated('User inactive', 'user_inactive');
      const cap = isTokenScope(row.scope) ? TOKEN_SCOPES[row.scope] : null;
      return {
        id: row.subject,
        kind: 'user',
        name: row.name,
        role: minRole(isRole(row.role) ? row.role : null, cap),
        groups: row.groups,
        scopes: null,
        authSource: 'user_token',
        credentialId: row.token_id,
        tokenScope: row.scope,
        tokenRowId: row.id,
      };
    },

    /** One usage row per request, written after the response (never delays it). */
    recordUse(tokenRowId: number, method: string, route: string, status: number): void {
      void db
        .query(
          `WITH u AS (INSERT INTO user_token_usage (token_id, method, route, status) VALUES ($1, $2, $3, $4))
           UPDATE user_token SET last_used_at = now() WHERE id = $1`,
          [tokenRowId, method, route.slice(0, 500), status],
        )
        .catch(() => undefined);
    },
  };
}
