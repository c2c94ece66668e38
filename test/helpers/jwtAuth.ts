// Small helpers shared by the JWT and user-token tests (test/auth/jwt.test.ts,
// test/auth/userTokens.test.ts).
import { randomBytes } from 'node:crypto';
import { ok, type GqlResult, type TestGateway } from './gateway.js';

/** `Authorization: Bearer <token>` as a headers object for `t.gql`. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/**
 * Extra gateway env so the suite also runs against real Redis when REDIS_URL is set
 * (the rate limiter then lives in Redis), under a key prefix of its own.
 */
export function redisEnv(): Record<string, string> {
  const url = process.env.REDIS_URL;
  return url ? { REDIS_URL: url, REDIS_KEY_PREFIX: `lgtest:jwt:${randomBytes(4).toString('hex')}:` } : {};
}

export interface RestResult {
  status: number;
  text: string;
  body: any;
  headers: Headers;
}

/** GET a REST route of the gateway; `token` null sends no Authorization header. */
export async function restGet(t: TestGateway, path: string, token: string | null): Promise<RestResult> {
  const res = await fetch(`${t.url}${path}`, { headers: token === null ? {} : bearer(token) });
  const text = await res.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, text, body, headers: res.headers };
}

/** The first GraphQL error's code and detail, or null. */
export function firstError(r: GqlResult<unknown>): { code?: string; detail?: string } | null {
  const e = r.errors?.[0];
  return e ? { code: e.extensions?.code, detail: e.extensions?.detail } : null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `read` until `done(value)` holds, at most `tries` times `delayMs` apart
 * (work written after a response, such as token usage rows). Returns the last value.
 */
export async function pollUntil<T>(read: () => Promise<T>, done: (v: T) => boolean, tries = 60, delayMs = 100): Promise<T> {
  let v = await read();
  for (let i = 0; i < tries && !done(v); i++) {
    await sleep(delayMs);
    v = await read();
  }
  return v;
}

export interface MintedUserToken {
  id: string;
  secret: string;
  scope: string;
  expiresAt: string;
  status: string;
  userId: string;
}

/** createUserToken as the caller given by `headers` (default: bootstrap ADMIN). */
export async function mintUserToken(t: TestGateway, input: Record<string, unknown>, headers: Record<string, string> = {}): Promise<MintedUserToken> {
  const r = await t.gql<{ createUserToken: { secret: string; token: Omit<MintedUserToken, 'secret'> } }>(
    `mutation($input: CreateUserTokenInput!) { createUserToken(input: $input) { secret token { id scope expiresAt status userId } } }`,
    { input },
    headers,
  );
  const { secret, token } = ok(r).createUserToken;
  return { ...token, secret };
}
