// Assembles one gateway instance: database, migrations, seed, GraphQL, HTTP.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/env.js';
import type { Database } from './db/database.js';
import { openDatabase } from './db/client.js';
import { migrate } from './db/migrate.js';
import { seedTemplates } from './services/templates/seedTemplates.js';
import { buildLabgraphSchema } from './graphql/schema.js';
import { buildApp } from './http/app.js';
import { databaseCheck, migrationsCheck } from './http/health.js';
import { createLogger, type Logger } from './http/logger.js';
import { createAuthenticator } from './auth/authenticate.js';
import { ensureBootstrapAdmin } from './auth/bootstrap.js';
import { createRateLimiter } from './ratelimit/rateLimiter.js';
import { connectRedis } from './redis/connect.js';
import { sweepIdempotencyKeys } from './idempotency/claim.js';
import type { Redis } from 'ioredis';
import type { EventBus } from './events/bus/eventBus.js';
import { createInProcessBus } from './events/bus/inProcessBus.js';
import { createRedisBus } from './events/bus/redisBus.js';
import { startDispatcher, type Dispatcher } from './events/outbox/dispatcher.js';
import { pruneOutbox } from './events/outbox/prune.js';
import { startDeliveryWorker, type DeliveryWorker } from './events/webhooks/deliveryWorker.js';
import { attachSubscriptions } from './events/subscriptions/wsServer.js';
import { createMetrics } from './metrics/metrics.js';
import { restCompatRouter } from '../rest-compat/index.js';
import { deploymentId, redisNamespace } from './db/deployment.js';

export interface Gateway {
  config: Config;
  db: Database;
  logger: Logger;
  server: http.Server;
  url: string;
  events: { bus: EventBus; dispatcher: Dispatcher; webhooks: DeliveryWorker };
  close(): Promise<void>;
}

export interface GatewayOptions {
  logger?: Logger;
  /** Use an already-open database (tests); it is not closed with the gateway. */
  db?: Database;
  migrate?: boolean;
}

export async function startGateway(config: Config, opts: GatewayOptions = {}): Promise<Gateway> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const db = opts.db ?? (await openDatabase(config));
  let redis: Redis | undefined;
  const stops: (() => Promise<unknown> | unknown)[] = [];
  try {
    redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;
    if (opts.migrate ?? true) {
      const applied = await migrate(db);
      if (applied.length) logger.info({ applied }, `applied ${applied.length} migration(s)`);
      const seeded = await seedTemplates(db);
      if (seeded) logger.info(`seeded ${seeded} standard template(s)`);
    }
    const boot = await ensureBootstrapAdmin(db, config.auth.bootstrapAdminKey);
    if (boot === 'no_admin') {
      logger.warn('no admin credential exists yet: start with LABGRAPH_BOOTSTRAP_ADMIN_KEY=<32+ characters>, or stop the gateway and run '
        + '`npm run keys -- create --account admin --role ADMIN` to mint the first admin API key');
    }
    const redisPrefix = redis ? redisNamespace(config.redisKeyPrefix, await deploymentId(db)) : config.redisKeyPrefix;
    const schema = await buildLabgraphSchema();
    // One event stream: outbox → dispatcher → bus (in-process, or Redis across instances) → subscriptions;
    // webhook deliveries are rows the dispatcher creates in the same transaction.
    const bus = redis ? await createRedisBus(redis, redisPrefix) : createInProcessBus();
    stops.unshift(() => bus.close());
    const webhooks = await startDeliveryWorker(db, config, logger);
    stops.unshift(() => webhooks.stop());
    // New delivery rows are sent right after dispatch, not at the worker's next poll.
    const dispatcher = await startDispatcher(db, bus, logger, { pollMs: config.events.pollMs, onPublished: () => webhooks.wake() });
    stops.unshift(() => dispatcher.stop());
    const authenticator = createAuthenticator(db, config);
    const metrics = createMetrics(db);
    const { app, apollo } = await buildApp({
      config,
      db,
      schema,
      logger,
      checks: [databaseCheck(db), migrationsCheck(db)],
      authenticator,
      metrics,
      limiter: createRateLimiter(config.rateLimit.windowSeconds, redis, redisPrefix),
      routers: (door) => [restCompatRouter(door)],
    });

    // Housekeeping: expired Idempotency-Key records (also dropped when their key is reused)
    // and published events older than the resume window.
    const sweeper = setInterval(() => {
      sweepIdempotencyKeys(db).then(
        (n) => n && logger.debug({ swept: n }, 'expired idempotency keys pruned'),
        (err: unknown) => logger.warn({ err }, 'idempotency sweep failed'),
      );
      pruneOutbox(db, config.events.retentionHours).then(
        (n) => n && logger.debug({ pruned: n }, 'published events past retention pruned'),
        (err: unknown) => logger.warn({ err }, 'outbox prune failed'),
      );
    }, config.idempotency.sweepSeconds * 1000);
    sweeper.unref();

    const server = http.createServer(app);
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const subscriptions = attachSubscriptions({ server, schema, db, config, bus, authenticator, logger });
    stops.unshift(() => subscriptions.close());
    metrics.setSources({ openSubscriptions: () => subscriptions.hub.size });
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host}:${port}`;

    let closing: Promise<void> | undefined;
    return {
      config,
      db,
      logger,
      server,
      url,
      events: { bus, dispatcher, webhooks },
      close() {
        closing ??= (async () => {
          clearInterval(sweeper);
          server.closeIdleConnections();
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          for (const stop of stops) await Promise.resolve(stop()).catch(() => undefined);
          await closed;
          await apollo.stop().catch(() => undefined);
          redis?.disconnect();
          if (!opts.db) await db.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    for (const stop of stops) await Promise.resolve(stop()).catch(() => undefined);
    redis?.disconnect();
    if (!opts.db) await db.close().catch(() => undefined);
    throw err;
  }
}
