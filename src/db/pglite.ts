import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './prisma.js';
import { type Database, type QueryOptions, type Session, QueryObservers, statementName } from './database.js';

/** The embedded default: real PostgreSQL compiled to WASM, in one local directory (or memory). */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const pglite = new PGlite(dataDir);
  await pglite.waitReady;
  const observers = new QueryObservers();
  // pglite-prisma-adapter is typed against an older @prisma/driver-adapter-utils; the wire contract is the same.
  const adapter = new PrismaPGlite(pglite) as unknown as ConstructorParameters<typeof PrismaClient>[0] extends infer O
    ? O extends { adapter?: infer A } ? NonNullable<A> : never : never;
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query' as never, (e: { query: string }) => observers.emit(e.query));

  /** PGlite itself or one of its transactions, as a Session; every statement is observed. */
  const sessionOn = (conn: Pick<PGlite, 'query' | 'exec'>): Session => ({
    async query<T>(sql: string, params: unknown[] = []) {
      observers.emit(sql);
      return (await conn.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      observers.emit(sql);
      await conn.exec(sql);
    },
  });
  const session = sessionOn(pglite);

  // `prepare: true` without parameters (the bootstrap-key lookup, tried on every request
  // when a bootstrap key is configured): PREPARE once, then EXECUTE, so PGlite, which runs
  // in this process, parses and plans it once. The extended protocol cannot bind parameters
  // to EXECUTE, so statements with parameters are sent as before. A statement that is gone
  // (a rolled-back transaction took its PREPARE along) or whose plan no longer fits (DDL)
  // is prepared again, once.
  const ready = new Set<string>();
  const prepare = async (name: string, sql: string, replace: boolean) => {
    if (replace) await pglite.exec(`DEALLOCATE ${name}`).catch(() => undefined);
    await pglite.exec(`PREPARE ${name} AS ${sql}`).catch((err: { code?: string }) => {
      if (err?.code !== '42P05') throw err; // already prepared
    });
    ready.add(name);
  };
  const query = async <T>(sql: string, params: unknown[] = [], opts?: QueryOptions): Promise<T[]> => {
    if (!opts?.prepare || params.length) return session.query<T>(sql, params);
    observers.emit(sql);
    const name = statementName(sql);
    if (!ready.has(name)) await prepare(name, sql, false);
    try {
      return (await pglite.query<T>(`EXECUTE ${name}`)).rows;
    } catch (err) {
      const code = (err as { code?: string })?.code;
      if (code !== '26000' && code !== '0A000') throw err;
      ready.delete(name);
      await prepare(name, sql, true);
      return (await pglite.query<T>(`EXECUTE ${name}`)).rows;
    }
  };

  let sessionQueue: Promise<void> = Promise.resolve();

  return {
    kind: 'embedded',
    prisma,
    query,
    exec: session.exec,
    // One connection serves everyone: sessions take turns so session-level state
    // (advisory locks, multi-step scripts) is not shared between two callers.
    withSession<T>(fn: (s: typeof session) => Promise<T>): Promise<T> {
      const run = sessionQueue.then(() => fn(session));
      sessionQueue = run.then(() => undefined, () => undefined);
      return run;
    },
    // PGlite's own transaction holds its connection mutex, so no other caller's statement lands inside it.
    transaction<T>(fn: (s: typeof session) => Promise<T>): Promise<T> {
      return pglite.transaction((tx) => fn(sessionOn(tx)));
    },
    async listen(channel, onNotify) {
      const unlisten = await pglite.listen(channel, onNotify);
      return async () => unlisten();
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    onQuery: (fn) => observers.add(fn),
    async close() {
      await prisma.$disconnect().catch(() => undefined);
      await pglite.close().catch(() => undefined);
    },
  };
}
