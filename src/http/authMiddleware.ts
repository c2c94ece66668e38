// Authenticates every request of a door, then applies the rate limit of whoever
// it turned out to be (the client IP when the credential failed).
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config/env.js';
import type { Principal } from '../auth/actor.js';
import type { Authenticator } from '../auth/authenticate.js';
import { AppError } from '../errors/index.js';
import type { RateLimiter } from '../ratelimit/rateLimiter.js';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export type ErrorResponder = (err: AppError, req: Request, res: Response) => void;

export interface AuthMiddlewareDeps {
  authenticator: Authenticator;
  limiter: RateLimiter;
  rateLimit: Config['rateLimit'];
  respond: ErrorResponder;
}

function rateLimited(retryAfterSeconds: number): AppError {
  return new AppError('RATE_LIMITED', `Rate limit exceeded, retry in ${retryAfterSeconds} s`, 'rate_limit_exceeded', { retryAfterSeconds });
}

export function authMiddleware(deps: AuthMiddlewareDeps): RequestHandler {
  const { authenticator, limiter, rateLimit, respond } = deps;
  return async (req, res, next) => {
    let principal: Principal;
    try {
      principal = await authenticator.authenticate(req.headers.authorization);
    } catch (err) {
      const ip = await limiter.hit(`ip:${req.ip ?? 'unknown'}`, rateLimit.anonMax);
      if (!ip.allowed) return respond(rateLimited(ip.retryAfterSeconds), req, res);
      if (err instanceof AppError) return respond(err, req, res);
      return next(err);
    }
    const decision = await limiter.hit(`p:${principal.id}`, rateLimit.max);
    if (decision.limit) {
      res.setHeader('RateLimit-Limit', String(decision.limit));
      res.setHeader('RateLimit-Remaining', String(decision.remaining));
    }
    if (!decision.allowed) return respond(rateLimited(decision.retryAfterSeconds), req, res);
    req.principal = principal;
    if (principal.tokenRowId !== undefined) {
      const rowId = principal.tokenRowId;
      res.on('finish', () => authenticator.userTokens.recordUse(rowId, req.method, req.originalUrl.split('?')[0], res.statusCode));
    }
    next();
  };
}

/** Headers every error response of either door carries. */
export function errorHeaders(err: AppError, res: Response): void {
  if (err.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (err.extra.retryAfterSeconds) res.setHeader('Retry-After', String(err.extra.retryAfterSeconds));
  for (const [k, v] of Object.entries(err.extra.headers ?? {})) res.setHeader(k, v);
}

/** GraphQL-shaped error for failures before execution (auth, rate limit). */
export const graphqlErrorResponder: ErrorResponder = (err, _req, res) => {
  errorHeaders(err, res);
  res.status(err.status).json({ errors: [{ message: err.message, extensions: { code: err.code, detail: err.detail } }] });
};
