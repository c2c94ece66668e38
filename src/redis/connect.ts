import { Redis } from 'ioredis';

export class RedisUnavailableError extends Error {}

/** One ioredis connection, verified at start so a bad REDIS_URL fails boot with one line. */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5_000 });
  redis.on('error', () => undefined); // reconnects by itself; commands report failures
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new RedisUnavailableError(`cannot connect to REDIS_URL: ${err instanceof Error ? err.message : String(err)}`);
  }
  return redis;
}
