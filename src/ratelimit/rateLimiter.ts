// Fixed-window request counters per principal (per IP for unauthenticated callers).
// In Redis when REDIS_URL is set, so the limit holds across instances; in memory otherwise.
import type { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  retryAfterSeconds: number;
}

export interface RateLimiter {
  hit(key: string, limit: number): Promise<RateDecision>;
}

export function createRateLimiter(windowSeconds: number, redis?: Redis, keyPrefix = 'labgraph:'): RateLimiter {
  const windowMs = windowSeconds * 1000;
  const decide = (count: number, limit: number, resetAt: number): RateDecision => ({
    allowed: limit === 0 || count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)),
  });

  if (redis) {
    return {
      async hit(key, limit) {
        if (limit === 0) return decide(0, 0, Date.now());
        const window = Math.floor(Date.now() / windowMs);
        const k = `${keyPrefix}rl:${key}:${window}`;
        try {
          const res = await redis.multi().incr(k).pexpire(k, windowMs + 1000).exec();
          const count = Number(res?.[0]?.[1] ?? 0);
          return decide(count, limit, (window + 1) * windowMs);
        } catch {
          // Redis down: fail open; an outage of the limiter must not take the API down.
          return decide(0, limit, Date.now());
        }
      },
    };
  }

  const counters = new Map<string, { window: number; count: number }>();
  return {
    async hit(key, limit) {
      if (limit === 0) return decide(0, 0, Date.now());
      const window = Math.floor(Date.now() / windowMs);
      let c = counters.get(key);
      if (!c || c.window !== window) {
        if (counters.size > 100_000) counters.clear();
        c = { window, count: 0 };
        counters.set(key, c);
      }
      c.count += 1;
      return decide(c.count, limit, (window + 1) * windowMs);
    },
  };
}
