// Prisma CLI wiring for machines without native engines: the JS schema engine
// talks to the database through a driver adapter.
//   DATABASE_URL set          -> that PostgreSQL server (@prisma/adapter-pg)
//   otherwise                 -> the embedded PGlite database in LABGRAPH_DATA_DIR (default .labgraph)
//   LABGRAPH_PRISMA_SCRATCH=1 -> a throwaway in-memory PGlite (migration authoring)
// The CLI validates DATABASE_URL even when an adapter is used, so it must stay a
// well-formed postgresql:// URL; without one the CLI falls back to downloading engines.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import type { PrismaPg } from '@prisma/adapter-pg';

const realUrl = process.env.DATABASE_URL;
process.env.DATABASE_URL ??= 'postgresql://embedded@localhost:5432/labgraph';

type Factory = InstanceType<typeof PrismaPg>;
type Adapter = Awaited<ReturnType<Factory['connect']>>;

/**
 * Both adapters mishandle migration scripts: adapter-pg splits them on every ';'
 * (breaking dollar-quoted function bodies), the PGlite one does not await them.
 * Send each script whole, awaited, as one simple-protocol query.
 */
function wholeScripts(factory: Factory, run: (script: string) => Promise<unknown>): Factory {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    adapter.executeScript = async (script: string) => {
      await run(script);
    };
    return adapter;
  };
  return factory;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(import.meta.dirname, 'schema.prisma'),
  migrations: { path: path.join(import.meta.dirname, 'migrations') },
  async adapter() {
    if (realUrl && !process.env.LABGRAPH_PRISMA_SCRATCH) {
      const pg = await import('pg');
      const { PrismaPg } = await import('@prisma/adapter-pg');
      const pool = new pg.default.Pool({ connectionString: realUrl, max: 2 });
      return wholeScripts(new PrismaPg(pool), (script) => pool.query(script));
    }
    const { PGlite } = await import('@electric-sql/pglite');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    const dir = process.env.LABGRAPH_PRISMA_SCRATCH
      ? undefined
      : path.join(process.env.LABGRAPH_DATA_DIR ?? '.labgraph', 'pgdata');
    if (dir) (await import('node:fs')).mkdirSync(dir, { recursive: true });
    const pglite = new PGlite(dir);
    // typed against an older @prisma/driver-adapter-utils; the runtime contract matches
    const factory = new PrismaPGlite(pglite) as unknown as Factory;
    return wholeScripts(factory, (script) => pglite.exec(script));
  },
});
