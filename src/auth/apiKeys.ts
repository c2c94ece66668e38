// API keys of service accounts: `lgk_<keyId>.<secret>`, found by key id, compared
// in constant time against the stored SHA-256.
import type { Database } from '../db/database.js';
import { AppError } from '../errors/index.js';
import type { Principal, Role } from './actor.js';
import { API_KEY_RE, hashSecret, sameHash } from './credentials.js';
import { GROUPS, isRole } from './permissions.js';

interface KeyRow {
  key_id: string;
  hash: string;
  scopes: string[];
  revoked_at: Date | null;
  last_used_at: Date | null;
  euid: string;
  name: string;
  role: string;
  groups: string[];
  active: boolean;
  bootstrap: boolean;
}

const SELECT = `SELECT k.key_id, k.hash, k.scopes, k.revoked_at, k.last_used_at, a.euid, a.name, a.role, a.groups, a.active, a.bootstrap
  FROM api_key k JOIN service_account a ON a.id = k.account_id`;
const BY_KEY_ID = `${SELECT} WHERE k.key_id = $1`;
const BOOTSTRAP_KEYS = `${SELECT} WHERE a.bootstrap AND k.revoked_at IS NULL`;

export const invalidApiKey = () => new AppError('UNAUTHENTICATED', 'Invalid API key', 'invalid_api_key');

function toPrincipal(row: KeyRow): Principal {
  if (!row.active) throw new AppError('UNAUTHENTICATED', 'Service account inactive', 'service_account_inactive');
  return {
    id: row.euid,
    kind: 'service_account',
    name: row.name,
    role: isRole(row.role) ? (row.role as Role) : null,
    groups: row.bootstrap ? [...GROUPS] : row.groups,
    scopes: row.bootstrap ? null : row.scopes,
    authSource: row.bootstrap ? 'bootstrap' : 'api_key',
    credentialId: row.bootstrap ? 'bootstrap' : `lgk_${row.key_id}`,
  };
}

/** Writes last_used_at at most once a minute per key: a hot key must not turn every read into a write. */
const LAST_USED_EVERY_MS = 60_000;

export function createApiKeyVerifier(db: Database) {
  const lastWritten = new Map<string, number>();
  const touch = (row: KeyRow) => {
    const now = Date.now();
    const seen = Math.max(lastWritten.get(row.key_id) ?? 0, row.last_used_at?.getTime() ?? 0);
    if (now - seen < LAST_USED_EVERY_MS) return;
    lastWritten.set(row.key_id, now);
    if (lastWritten.size > 10_000) lastWritten.clear();
    void db.query(`UPDATE api_key SET last_used_at = now() WHERE key_id = $1`, [row.key_id]).catch(() => undefined);
  };

  return {
    async verify(token: string): Promise<Principal> {
      const m = API_KEY_RE.exec(token);
      if (!m) throw invalidApiKey();
      const [row] = await db.query<KeyRow>(BY_KEY_ID, [m[1]], { prepare: true });
      if (!row || !sameHash(row.hash, hashSecret(token)) || row.revoked_at) throw invalidApiKey();
      const principal = toPrincipal(row);
      touch(row);
      return principal;
    },

    /** The bootstrap credential is any string the operator chose; compared against the bootstrap keys' hashes. */
    async verifyBootstrap(token: string): Promise<Principal | null> {
      const rows = await db.query<KeyRow>(BOOTSTRAP_KEYS, [], { prepare: true });
      const hash = hashSecret(token);
      const row = rows.find((r) => sameHash(r.hash, hash));
      return row ? toPrincipal(row) : null;
    },
  };
}
