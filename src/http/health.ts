import { Router } from 'express';
import type { Database } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';

export interface DependencyCheck {
  name: string;
  check(): Promise<Record<string, unknown>>;
}

export function databaseCheck(db: Database): DependencyCheck {
  return {
    name: 'database',
    async check() {
      const started = performance.now();
      await db.query('SELECT 1');
      return { kind: db.kind, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    },
  };
}

export function migrationsCheck(db: Database): DependencyCheck {
  return {
    name: 'migrations',
    async check() {
      const pending = await pendingMigrations(db);
      if (pending.length) throw Object.assign(new Error('pending migrations'), { details: { pending } });
      return { pending: [] };
    },
  };
}

/** /healthz: the process is alive. /readyz: every dependency answers (503 otherwise). */
export function healthRoutes(checks: DependencyCheck[]): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results: Record<string, Record<string, unknown>> = {};
    let ready = true;
    await Promise.all(
      checks.map(async (c) => {
        try {
          results[c.name] = { status: 'up', ...(await withTimeout(c.check(), 3000)) };
        } catch (err) {
          ready = false;
          const details = (err as { details?: Record<string, unknown> }).details ?? {};
          results[c.name] = { status: 'down', error: err instanceof Error ? err.message : String(err), ...details };
        }
      }),
    );
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results });
  });
  return router;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e); });
  });
}
