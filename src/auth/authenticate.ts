// Resolves `Authorization: Bearer <credential>` to a principal, whichever door the
// request came through (GraphQL over HTTP or WebSocket, REST). Every check reads
// the database, so a revocation holds on the very next request on every instance.
import type { Config } from '../config/env.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/index.js';
import type { Principal } from './actor.js';
import { createApiKeyVerifier, invalidApiKey } from './apiKeys.js';
import { bearerToken, credentialKind } from './credentials.js';
import { createJwtVerifier } from './jwt.js';
import { createUserTokenVerifier } from './userTokens.js';

export type Authenticator = ReturnType<typeof createAuthenticator>;

export const missingCredentials = () =>
  new AppError('UNAUTHENTICATED', 'Authentication required: send Authorization: Bearer <API key | user token | JWT>', 'missing_credentials');

export function createAuthenticator(db: Database, config: Pick<Config, 'auth'>) {
  const apiKeys = createApiKeyVerifier(db);
  const userTokens = createUserTokenVerifier(db);
  const jwt = config.auth.jwt ? createJwtVerifier(config.auth.jwt) : null;

  return {
    userTokens,
    /** Throws UNAUTHENTICATED (401) for a missing, malformed, unknown, revoked or expired credential. */
    async authenticate(authorization: string | undefined): Promise<Principal> {
      const token = bearerToken(authorization);
      if (!token) throw missingCredentials();
      // The operator's bootstrap key may have any shape, so it is tried first.
      if (config.auth.bootstrapAdminKey !== undefined || credentialKind(token) === 'opaque') {
        const boot = await apiKeys.verifyBootstrap(token);
        if (boot) return boot;
      }
      switch (credentialKind(token)) {
        case 'api_key':
          return apiKeys.verify(token);
        case 'user_token':
          return userTokens.verify(token);
        case 'jwt':
          if (!jwt) throw new AppError('UNAUTHENTICATED', 'JWT authentication is not configured', 'invalid_token');
          return jwt.verify(token);
        default:
          throw invalidApiKey();
      }
    },
  };
}
