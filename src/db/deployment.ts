// This database's deployment id. Redis is shared infrastructure: two deployments
// (say staging and production, or every test file of a run) pointed at one Redis
// with the same REDIS_KEY_PREFIX would otherwise hear each other's events — EUIDs
// repeat across databases, so a subscriber would get another database's
// changes — and share rate-limit counters. The id is created by the first
// gateway to start on the database (not by the migration, so a cloned template
// database that never ran a gateway gets an id of its own).
import { randomBytes } from 'node:crypto';
import type { Database } from './database.js';

export async function deploymentId(db: Database): Promise<string> {
  await db.query(`INSERT INTO deployment (id) VALUES ($1) ON CONFLICT (singleton) DO NOTHING`, [randomBytes(6).toString('hex')]);
  const [row] = await db.query<{ id: string }>(`SELECT id FROM deployment`);
  return row.id;
}

/** The Redis namespace of this deployment: the operator's prefix, then the deployment id. */
export const redisNamespace = (keyPrefix: string, deployment: string) => `${keyPrefix}${deployment}:`;
