// Each test file gets its own database: a clone of the migrated template on
// PostgreSQL (DATABASE_URL set), or a fresh in-memory PGlite (embedded default).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/db/database.js';
import { openPostgres } from '../../src/db/postgres.js';
import { openPglite } from '../../src/db/pglite.js';
import { migrate } from '../../src/db/migrate.js';
import { seedTemplates } from '../../src/services/templates/seedTemplates.js';
import { adminUrl, dbUrl, templateDb, testDbPrefix } from './pgUrls.js';

export const usingPostgres = Boolean(process.env.DATABASE_URL);

export interface TestDatabase {
  db: Database;
  /** Connection URL (PostgreSQL only). */
  url?: string;
  name?: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh, migrated, seeded database. */
export async function freshDatabase(): Promise<TestDatabase> {
  if (!usingPostgres) {
    const db = await openPglite(undefined);
    await migrate(db);
    await seedTemplates(db);
    return { db, drop: () => db.close() };
  }
  const name = `${testDbPrefix()}${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`));
  const url = dbUrl(name);
  const db = await openPostgres(url, 10);
  return {
    db,
    url,
    name,
    async drop() {
      await db.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** An empty database with nothing applied (migration tests). */
export async function emptyDatabase(): Promise<TestDatabase> {
  if (!usingPostgres) {
    const db = await openPglite(undefined);
    return { db, drop: () => db.close() };
  }
  const name = `${testDbPrefix()}${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = dbUrl(name);
  const db = await openPostgres(url, 4);
  return {
    db,
    url,
    name,
    async drop() {
      await db.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
