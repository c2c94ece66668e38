import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, pendingMigrations, committedMigrations } from '../../src/db/migrate.js';
import { emptyDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';

const run = promisify(execFile);
let testDb: TestDatabase | undefined;
afterEach(async () => {
  await testDb?.drop();
  testDb = undefined;
});

describe('migrations', () => {
  it('applies every committed migration once, in order, and is idempotent', async () => {
    testDb = await emptyDatabase();
    const all = committedMigrations().map((m) => m.name);
    expect(await pendingMigrations(testDb.db)).toEqual(all);
    expect(await migrate(testDb.db)).toEqual(all);
    expect(await migrate(testDb.db)).toEqual([]);
    expect(await pendingMigrations(testDb.db)).toEqual([]);
    const tables = await testDb.db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'`);
    expect(tables.map((r) => r.t)).toEqual(expect.arrayContaining(['material_object', 'lineage_edge', 'placement', 'template', 'audit_log', 'outbox_event']));
  });

  it('survives two instances migrating at once', async () => {
    testDb = await emptyDatabase();
    const [a, b] = await Promise.all([migrate(testDb.db), migrate(testDb.db)]);
    expect([...a, ...b].sort()).toEqual(committedMigrations().map((m) => m.name).sort());
  });

  it.skipIf(!usingPostgres)('agrees with `prisma migrate deploy` (same table, same checksums)', async () => {
    testDb = await emptyDatabase();
    await migrate(testDb.db);
    const { stdout } = await run('npx', ['prisma', 'migrate', 'deploy', '--config', 'prisma/prisma.config.ts'], {
      env: { ...process.env, DATABASE_URL: testDb.url },
      timeout: 120_000,
    });
    expect(stdout).toMatch(/No pending migrations to apply/);
  });

  it.skipIf(!usingPostgres)('`npm run db:migrate` (prisma migrate deploy) applies the committed SQL to an empty database', async () => {
    testDb = await emptyDatabase();
    await run('npx', ['prisma', 'migrate', 'deploy', '--config', 'prisma/prisma.config.ts'], {
      env: { ...process.env, DATABASE_URL: testDb.url },
      timeout: 120_000,
    });
    expect(await pendingMigrations(testDb.db)).toEqual([]);
  });
});
