// Applies the committed SQL under prisma/migrations, recording each in Prisma's own
// `_prisma_migrations` table (same checksum), so `prisma migrate deploy` and this
// runner agree on what is applied. Several instances may start at once: the
// advisory lock is the one Prisma's migrate takes too.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database, Session } from './database.js';
import { projectRoot } from '../config/projectRoot.js';

export const MIGRATIONS_DIR = path.join(projectRoot(), 'prisma', 'migrations');
const PRISMA_MIGRATE_LOCK = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function committedMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function appliedMigrations(db: Session): Promise<Set<string>> {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('_prisma_migrations')::text AS t`);
  if (!exists[0]?.t) return new Set();
  const rows = await db.query<{ migration_name: string }>(
    `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  return new Set(rows.map((r) => r.migration_name));
}

export async function pendingMigrations(db: Database): Promise<string[]> {
  const done = await appliedMigrations(db);
  return committedMigrations().filter((m) => !done.has(m.name)).map((m) => m.name);
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Applies what is pending, each migration in its own transaction. Returns the names applied. */
export function migrate(db: Database): Promise<string[]> {
  return db.withSession((s) => migrateSession(s));
}

async function migrateSession(db: Session): Promise<string[]> {
  const applied: string[] = [];
  await db.exec(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK}); ${CREATE_TABLE};`);
  try {
    const done = await appliedMigrations(db);
    for (const m of committedMigrations()) {
      if (done.has(m.name)) continue;
      await db.exec(
        `BEGIN;\n${m.sql}\n;INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES (${quote(randomUUID())}, ${quote(m.checksum)}, now(), ${quote(m.name)}, now(), 1);\nCOMMIT;`,
      ).catch(async (err: unknown) => {
        await db.exec('ROLLBACK').catch(() => undefined);
        throw err;
      });
      applied.push(m.name);
    }
  } finally {
    await db.exec(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK})`).catch(() => undefined);
  }
  return applied;
}
