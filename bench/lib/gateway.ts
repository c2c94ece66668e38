// The gateway under test, in the bench process, over a database of its own: a fresh
// PostgreSQL database `lg_bench_<random>` on DATABASE_URL's server (dropped at the end),
// or the embedded default (PGlite) in a temporary data directory (removed at the end).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/config/env.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { onCleanup } from './cleanup.js';
import type { DatabaseInfo } from './types.js';

/** The bootstrap ADMIN key every bench gateway starts with; requests send it as a bearer token. */
export const BENCH_ADMIN_KEY = 'labgraph-bench-bootstrap-admin-key-0123456789abcdef';
export const authHeaders = { authorization: `Bearer ${BENCH_ADMIN_KEY}` } as const;

export interface BenchGateway {
  gateway: Gateway;
  url: string;
  database: DatabaseInfo;
  close(): Promise<void>;
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A database for one gateway and how to throw it away. */
async function provision(): Promise<{ env: Record<string, string>; mode: DatabaseInfo['mode']; location: string; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `lg_bench_${randomBytes(6).toString('hex')}`;
    await withAdmin(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: u.toString() },
      mode: 'postgres',
      location: name,
      drop: () => withAdmin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lg-bench-'));
  return {
    env: { LABGRAPH_DATA_DIR: dir },
    mode: 'embedded',
    location: dir,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Starts a gateway on 127.0.0.1 (ephemeral port), migrated and seeded, rate limiting off. */
export async function startBenchGateway(env: Record<string, string> = {}): Promise<BenchGateway> {
  const db = await provision();
  let gateway: Gateway | undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      try {
        await gateway?.close();
      } finally {
        await db.drop();
      }
    })());
  const unregister = onCleanup(close);
  try {
    const source: NodeJS.ProcessEnv = { ...process.env };
    delete source.DATABASE_URL;
    const config = loadConfig({
      ...source,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      LABGRAPH_BOOTSTRAP_ADMIN_KEY: BENCH_ADMIN_KEY,
      RATE_LIMIT_MAX: '0',
      ...db.env,
      ...env,
    });
    gateway = await startGateway(config);
    const [row] = await gateway.db.query<{ version: string }>('SELECT version() AS version');
    const version = (row?.version ?? 'unknown').split(' on ')[0];
    return {
      gateway,
      url: gateway.url,
      database: { mode: db.mode, version: db.mode === 'embedded' ? `PGlite (${version})` : version, location: db.location },
      async close() {
        unregister();
        await close();
      },
    };
  } catch (err) {
    unregister();
    await close().catch(() => undefined);
    throw err;
  }
}
