// Prometheus metrics (prom-client), one registry per gateway instance. Request
// metrics are recorded once per request (never per field); database-derived gauges
// are read only when /metrics is scraped.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/database.js';

export interface Metrics {
  registry: Registry;
  requests: Histogram<'door' | 'operation' | 'status'>;
  idempotencyReplays: Counter<'door'>;
  /** GraphQL executions by engine: compiled (graphql-jit) or graphql-js, and why graphql-js. */
  graphqlExecutions: Counter<'engine' | 'reason'>;
  /** Gauges read at scrape time: set by the gateway once its parts exist. */
  setSources(sources: { openSubscriptions(): number }): void;
}

export function createMetrics(db: Database): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'labgraph_process_' });
  let sources: { openSubscriptions(): number } = { openSubscriptions: () => 0 };

  const requests = new Histogram({
    name: 'labgraph_request_duration_seconds',
    help: 'Requests by door (graphql | rest), GraphQL operation or REST route, and HTTP status',
    labelNames: ['door', 'operation', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const idempotencyReplays = new Counter({
    name: 'labgraph_idempotency_replays_total',
    help: 'Responses replayed for a repeated Idempotency-Key',
    labelNames: ['door'] as const,
    registers: [registry],
  });
  const graphqlExecutions = new Counter({
    name: 'labgraph_graphql_executions_total',
    help: 'GraphQL operations executed, by engine (jit | graphql-js) and the reason for graphql-js',
    labelNames: ['engine', 'reason'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'labgraph_outbox_pending_events',
    help: 'Committed events not yet published',
    registers: [registry],
    async collect() {
      const [r] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_event WHERE dispatched_at IS NULL`);
      this.set(r.n);
    },
  });
  new Gauge({
    name: 'labgraph_outbox_lag_seconds',
    help: 'Age of the oldest unpublished event (0 when none)',
    registers: [registry],
    async collect() {
      const [r] = await db.query<{ s: number | null }>(
        `SELECT extract(epoch FROM now() - min(occurred_at))::float8 AS s FROM outbox_event WHERE dispatched_at IS NULL`,
      );
      this.set(Number(r.s ?? 0));
    },
  });
  new Gauge({
    name: 'labgraph_webhook_deliveries',
    help: 'Webhook deliveries by state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const rows = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM webhook_delivery GROUP BY status`);
      this.reset();
      for (const state of ['pending', 'delivered', 'dead_letter', 'failed']) this.set({ state }, 0);
      for (const r of rows) this.set({ state: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'labgraph_open_subscriptions',
    help: 'GraphQL subscriptions open on this instance',
    registers: [registry],
    collect() {
      this.set(sources.openSubscriptions());
    },
  });
  new Gauge({
    name: 'labgraph_db_pool_connections',
    help: 'Database connections by state (PostgreSQL pool; the embedded database has one)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const p = db.poolStats();
      this.set({ state: 'total' }, p.total);
      this.set({ state: 'idle' }, p.idle);
      this.set({ state: 'waiting' }, p.waiting);
    },
  });

  return {
    registry,
    requests,
    idempotencyReplays,
    graphqlExecutions,
    setSources(s) {
      sources = s;
    },
  };
}
