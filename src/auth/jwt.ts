// JWTs from an identity provider, verified with jose against a JWKS URL or a shared
// secret, with explicit algorithms (no `alg: none`, no HMAC/RSA confusion).
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from '../config/env.js';
import { AppError } from '../errors/index.js';
import type { Principal, Role } from './actor.js';
import { ROLES, minRole } from './permissions.js';

const invalidToken = () => new AppError('UNAUTHENTICATED', 'Invalid or expired token', 'invalid_token');

// Bloom maps roles from groups; accept those group names when no role claim is present.
const ROLE_GROUPS: Record<string, Role> = { 'bloom-admin': 'ADMIN', 'bloom-readwrite': 'READ_WRITE', 'bloom-readonly': 'READ_ONLY' };

function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/[ ,]+/).filter(Boolean);
  return [];
}

/** The highest role named by the role claim (string or list), else by Bloom role groups. */
function roleFrom(payload: JWTPayload, cfg: JwtConfig, groups: string[]): Role | null {
  const named = claimList(payload[cfg.roleClaim]).map((r) => r.toUpperCase().replace(/-/g, '_'));
  const candidates = [
    ...named.filter((r): r is Role => (ROLES as readonly string[]).includes(r)),
    ...groups.flatMap((g) => (ROLE_GROUPS[g] ? [ROLE_GROUPS[g]] : [])),
  ];
  // highest of the candidates: minRole picks the lower, so compare against ADMIN downwards
  return candidates.reduce<Role | null>((best, r) => (best === null || minRole(best, r) === best ? r : best), null);
}

export function createJwtVerifier(cfg: JwtConfig) {
  const key: Uint8Array | JWTVerifyGetKey = cfg.secret
    ? new TextEncoder().encode(cfg.secret)
    : createRemoteJWKSet(new URL(cfg.jwksUrl!), { timeoutDuration: 5_000, cooldownDuration: 30_000 });

  return {
    async verify(token: string): Promise<Principal> {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
          algorithms: cfg.algorithms,
          issuer: cfg.issuer,
          audience: cfg.audience,
          requiredClaims: ['sub', 'exp'],
          clockTolerance: 30,
        }));
      } catch {
        throw invalidToken();
      }
      const groups = [...new Set([...cfg.defaultGroups, ...claimList(payload[cfg.groupsClaim])])];
      const name = [payload.name, payload.email, payload.sub].find((v): v is string => typeof v === 'string') ?? 'user';
      return {
        id: String(payload.sub),
        kind: 'user',
        name,
        role: roleFrom(payload, cfg, groups),
        groups,
        scopes: null,
        authSource: 'jwt',
        credentialId: typeof payload.jti === 'string' ? payload.jti : null,
      };
    },
  };
}
