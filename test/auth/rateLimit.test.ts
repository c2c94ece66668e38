// Rate limits with small numbers: per principal (GraphQL and REST), per client IP
// for unauthenticated requests, never on health probes, and, with Redis, across
// gateway instances.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { connectRedis } from '../../src/redis/connect.js';

const WINDOW_SECONDS = 60;
const REDIS_URL = process.env.REDIS_URL;
/** Random per run: counters of an earlier run in the same Redis never count here. */
const PREFIX = `lgtest-rl-${randomBytes(6).toString('hex')}:`;
const LIMITED_ENV: Record<string, string> = {
  RATE_LIMIT_MAX: '3',
  RATE_LIMIT_ANON_MAX: '2',
  RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
  REDIS_KEY_PREFIX: PREFIX,
  ...(REDIS_URL ? { REDIS_URL } : {}),
};

let testDb: TestDatabase;
/** Default limits, same database: mints the keys, so setup never spends a limited budget. */
let setup: TestGateway;
/** RATE_LIMIT_MAX=3, RATE_LIMIT_ANON_MAX=2. */
let limited: TestGateway;

beforeAll(async () => {
  testDb = await freshDatabase();
  setup = await startTestGateway({ testDb });
  limited = await startTestGateway({ testDb, env: LIMITED_ENV });
});
afterAll(async () => {
  await limited?.close();
  await setup?.close();
  await testDb?.drop();
});

const windowNow = () => Math.floor(Date.now() / (WINDOW_SECONDS * 1000));

/**
 * Counters are per fixed window; a sequence of requests that happens to straddle a
 * window boundary starts over in the next one. Runs `attempt` (which must use fresh
 * principals) until one run falls inside one window; bounded.
 */
async function inOneWindow(attempt: () => Promise<() => void>): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const w = windowNow();
    const check = await attempt();
    if (windowNow() === w) return check();
  }
  throw new Error('could not run the sequence inside one rate-limit window');
}

const freshKey = async () => (await mintKey(setup, { role: 'READ_ONLY' })).token;
const randomIp = () => `203.0.113.${1 + Math.floor(Math.random() * 250)}`;

async function me(t: TestGateway, headers: Record<string, string>) {
  return t.gql<{ me: { id: string } }>(`{ me { id } }`, {}, headers);
}

async function restMe(t: TestGateway, headers: Record<string, string>) {
  const res = await fetch(`${t.url}/api/v1/auth/me`, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

function expectRetryAfter(headers: Headers) {
  const v = headers.get('retry-after');
  expect(v).toMatch(/^\d+$/);
  const n = Number(v);
  expect(n).toBeGreaterThanOrEqual(1);
  expect(n).toBeLessThanOrEqual(WINDOW_SECONDS);
}

describe('per principal', () => {
  it('the 4th GraphQL request of one principal is 429 RATE_LIMITED with Retry-After; another principal is unaffected', async () => {
    await inOneWindow(async () => {
      const a = bearer(await freshKey());
      const b = bearer(await freshKey());
      const first3 = [await me(limited, a), await me(limited, a), await me(limited, a)];
      const fourth = await me(limited, a);
      const fifth = await me(limited, a);
      const other = await me(limited, b);
      return () => {
        expect(first3.map((r) => r.status)).toEqual([200, 200, 200]);
        expect(first3.every((r) => r.data?.me.id)).toBe(true);
        expect(fourth.status).toBe(429);
        expectRetryAfter(fourth.headers);
        expect(fourth.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
        expect(fourth.data ?? null).toBeNull();
        expect(fifth.status).toBe(429);
        expect(other.status).toBe(200);
        expect(other.data?.me.id).toBeTruthy();
      };
    });
  });

  it('REST /api/v1/auth/me is limited the same way, with detail rate_limit_exceeded', async () => {
    await inOneWindow(async () => {
      const a = bearer(await freshKey());
      const first3 = [await restMe(limited, a), await restMe(limited, a), await restMe(limited, a)];
      const fourth = await restMe(limited, a);
      const other = await restMe(limited, bearer(await freshKey()));
      return () => {
        expect(first3.map((r) => r.status)).toEqual([200, 200, 200]);
        expect(fourth.status).toBe(429);
        expectRetryAfter(fourth.headers);
        expect(fourth.body.detail).toBe('rate_limit_exceeded');
        expect(other.status).toBe(200);
      };
    });
  });

  it('GraphQL and REST draw on one budget per principal', async () => {
    await inOneWindow(async () => {
      const a = bearer(await freshKey());
      const statuses = [(await me(limited, a)).status, (await restMe(limited, a)).status, (await me(limited, a)).status];
      const fourth = await restMe(limited, a);
      return () => {
        expect(statuses).toEqual([200, 200, 200]);
        expect(fourth.status).toBe(429);
      };
    });
  });

  it('the same key on the default-limit gateway is not limited (the limit is configuration, not a constant)', async () => {
    const a = bearer(await freshKey());
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await me(setup, a)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
  });
});

describe('unauthenticated requests', () => {
  it('are limited per client IP: the 3rd is 429 instead of 401; another IP still gets 401', async () => {
    await inOneWindow(async () => {
      const ip = randomIp();
      let other = randomIp();
      while (other === ip) other = randomIp();
      const none = await me(limited, { authorization: '', 'x-forwarded-for': ip });
      const bad = await me(limited, { authorization: 'Bearer lgk_AAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', 'x-forwarded-for': ip });
      const third = await me(limited, { authorization: '', 'x-forwarded-for': ip });
      const rest = await restMe(limited, { 'x-forwarded-for': ip });
      const elsewhere = await me(limited, { authorization: '', 'x-forwarded-for': other });
      const authenticated = await me(limited, { ...bearer(await freshKey()), 'x-forwarded-for': ip });
      return () => {
        expect(none.status).toBe(401);
        expect(none.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        expect(bad.status).toBe(401);
        expect(third.status).toBe(429);
        expect(third.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
        expectRetryAfter(third.headers);
        expect(rest.status).toBe(429);
        expect(rest.body.detail).toBe('rate_limit_exceeded');
        expect(elsewhere.status).toBe(401);
        expect(authenticated.status).toBe(200);
      };
    });
  });

  it('without a proxy header, the connecting address is the key', async () => {
    await inOneWindow(async () => {
      // Whatever 127.0.0.1 spent before, two more unauthenticated calls exceed a budget of 2.
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await me(limited, { authorization: '' })).status);
      return () => {
        expect(statuses[2]).toBe(429);
        expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      };
    });
  });
});

describe('health probes', () => {
  it('/healthz and /readyz are never limited, not even for an IP that is', async () => {
    const ip = randomIp();
    for (let i = 0; i < 3; i++) await me(limited, { authorization: '', 'x-forwarded-for': ip });
    for (const path of ['/healthz', '/readyz']) {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${limited.url}${path}`, { headers: { 'x-forwarded-for': ip } });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      expect(statuses, path).toEqual(Array(10).fill(200));
    }
  });
});

describe('across gateway instances', () => {
  it.skipIf(!REDIS_URL)('with REDIS_URL, two gateways on one database and one Redis share the counters', async () => {
    const env = { ...LIMITED_ENV, REDIS_URL: REDIS_URL! };
    const a = await startTestGateway({ testDb, env });
    const b = await startTestGateway({ testDb, env });
    try {
      await inOneWindow(async () => {
        const key = bearer(await freshKey());
        const statuses = [(await me(a, key)).status, (await me(a, key)).status, (await me(b, key)).status];
        const fourth = await me(b, key);
        const backOnA = await me(a, key);
        return () => {
          expect(statuses).toEqual([200, 200, 200]);
          expect(fourth.status).toBe(429);
          expect(fourth.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
          expectRetryAfter(fourth.headers);
          expect(backOnA.status).toBe(429);
        };
      });
      // The shared counters live under this run's prefix only.
      const redis = await connectRedis(REDIS_URL!);
      try {
        expect((await redis.keys(`${PREFIX}*:rl:*`)).length).toBeGreaterThan(0);
      } finally {
        redis.disconnect();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
