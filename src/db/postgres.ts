import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './prisma.js';
import { type Database, type QueryOptions, type Session, QueryObservers, statementName } from './database.js';

// JSON and timestamptz stay as pg parses them; int8 (outbox positions, counts) as strings
// would leak into JSON as strings, so parse the ones we produce (< 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead
  const observers = new QueryObservers();
  // Named statements for `prepare: true`: pg prepares one on a connection's first use, then reuses it.
  const probe = await pool.connect().catch((err: unknown) => {
    void pool.end();
    throw err;
  });
  probe.release();

  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query' as never, (e: { query: string }) => observers.emit(e.query));

  /** One pooled connection as a Session; every statement is observed. */
  const sessionOn = (client: pg.PoolClient): Session => ({
    async query<T>(sql: string, params: unknown[] = []) {
      observers.emit(sql);
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      observers.emit(sql);
      await client.query(sql);
    },
  });

  let listener: pg.Client | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();

  return {
    kind: 'postgres',
    prisma,
    async query<T>(sql: string, params: unknown[] = [], opts?: QueryOptions) {
      observers.emit(sql);
      const res = opts?.prepare ? await pool.query({ name: statementName(sql), text: sql, values: params }) : await pool.query(sql, params);
      return res.rows as T[];
    },
    async exec(sql: string) {
      observers.emit(sql);
      await pool.query(sql); // no parameters: simple protocol, several statements allowed
    },
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn(sessionOn(client));
      } finally {
        client.release();
      }
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(sessionOn(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      if (!listener) {
        listener = new pg.Client({ connectionString: url });
        listener.on('error', () => undefined);
        await listener.connect();
        listener.on('notification', (n) => {
          for (const fn of handlers.get(n.channel) ?? []) fn(n.payload ?? '');
        });
      }
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await listener.query(`LISTEN "${channel.replace(/"/g, '')}"`);
      }
      set.add(onNotify);
      return async () => {
        set.delete(onNotify);
      };
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    onQuery: (fn) => observers.add(fn),
    async close() {
      await prisma.$disconnect().catch(() => undefined);
      await listener?.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}
