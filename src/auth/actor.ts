// Who is acting in a request: the authenticated principal plus the request facts
// every audit row records.
export type Role = 'READ_ONLY' | 'READ_WRITE' | 'ADMIN';
export type AuthSource = 'api_key' | 'user_token' | 'jwt' | 'bootstrap' | 'system';
export type PrincipalKind = 'service_account' | 'user' | 'system';

export interface Principal {
  /** Public id: service account EUID, or the user's subject. */
  id: string;
  kind: PrincipalKind;
  name: string;
  role: Role | null;
  groups: string[];
  /** Scopes of the credential (API key); null when the credential carries no cap beyond the role. */
  scopes: string[] | null;
  authSource: AuthSource;
  /** Public id of the key or token used; never the secret. */
  credentialId: string | null;
  /** Bloom token scope (internal_ro | internal_rw | admin) when a user token was used. */
  tokenScope?: string | null;
  /** Internal key of the user token, to record its use (never serialized). */
  tokenRowId?: number;
}

export interface Actor extends Principal {
  requestId: string;
  idempotencyKey: string | null;
}

export const SYSTEM_PRINCIPAL: Principal = {
  id: 'system',
  kind: 'system',
  name: 'labgraph',
  role: 'ADMIN',
  groups: [],
  scopes: null,
  authSource: 'system',
  credentialId: null,
};

export function systemActor(requestId = 'system'): Actor {
  return { ...SYSTEM_PRINCIPAL, requestId, idempotencyKey: null };
}
