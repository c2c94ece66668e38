import path from 'node:path';
import type { Config } from '../config/env.js';
import type { Database } from './database.js';
import { lockDataDir } from './dataDirLock.js';

export class DatabaseUnavailableError extends Error {}

/** Embedded PGlite by default; PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'poolSize'>): Promise<Database> {
  if (config.databaseUrl) {
    const { openPostgres } = await import('./postgres.js');
    try {
      return await openPostgres(config.databaseUrl, config.poolSize);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new DatabaseUnavailableError(`cannot connect to DATABASE_URL (${redactUrl(config.databaseUrl)}): ${reason}`);
    }
  }
  const { openPglite } = await import('./pglite.js');
  const release = lockDataDir(config.dataDir);
  try {
    const db = await openPglite(path.join(config.dataDir, 'pgdata'));
    const close = db.close.bind(db);
    return Object.assign(db, { close: () => close().finally(release) });
  } catch (err) {
    release();
    throw err;
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}
