// With DATABASE_URL set, builds one migrated template database per run; each test
// file then clones it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
import pg from 'pg';
import { openPostgres } from '../../src/db/postgres.js';
import { migrate } from '../../src/db/migrate.js';
import { seedTemplates } from '../../src/services/templates/seedTemplates.js';
import { randomBytes } from 'node:crypto';
import { adminUrl, dbUrl, templateDb, testDbPrefix } from './pgUrls.js';

export async function setup(): Promise<void> {
  // Workers are forked after this runs and inherit the run id.
  process.env.LG_TEST_RUN ??= randomBytes(4).toString('hex');
  if (!process.env.DATABASE_URL) return;
  const TEMPLATE_DB = templateDb();
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const db = await openPostgres(dbUrl(TEMPLATE_DB), 2);
  try {
    await migrate(db);
    await seedTemplates(db);
  } finally {
    await db.close();
  }
}

export async function teardown(): Promise<void> {
  if (!process.env.DATABASE_URL) return;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  const TEMPLATE_DB = templateDb();
  try {
    const left = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [testDbPrefix()]);
    for (const { datname } of left.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
