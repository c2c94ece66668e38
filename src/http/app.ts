import { randomUUID } from 'node:crypto';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { ZodType } from 'zod';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config/env.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import type { ServiceContext } from '../services/context.js';
import type { Authenticator } from '../auth/authenticate.js';
import type { RateLimiter } from '../ratelimit/rateLimiter.js';
import { authMiddleware, graphqlErrorResponder } from './authMiddleware.js';
import { idempotencyMiddleware } from './idempotencyMiddleware.js';
import type { Metrics } from '../metrics/metrics.js';
import { operationLabelPlugin, requestTimer } from '../metrics/requestMetrics.js';
import { createRequestContext, type RequestContext } from '../graphql/context.js';
import { createFormatError } from '../graphql/formatError.js';
import { limitsPlugin } from '../graphql/limits.js';
import { jitGateway } from '../graphql/execution/jitExecutor.js';
import { graphiqlAssets, graphiqlPage, wantsGraphiql } from './graphiql.js';
import { healthRoutes, type DependencyCheck } from './health.js';
import { errorMiddleware, notFoundHandler, restErrorResponder } from './errorMiddleware.js';
import type { Logger } from './logger.js';

declare module 'express-serve-static-core' {
  interface Request {
    ctx?: RequestContext;
  }
}

export interface AppDeps {
  config: Config;
  db: Database;
  schema: GraphQLSchema;
  logger: Logger;
  checks: DependencyCheck[];
  authenticator: Authenticator;
  limiter: RateLimiter;
  metrics: Metrics;
  /** Extra routers mounted before the 404 handler (REST compatibility), given the REST door's middleware. */
  routers?: (door: RestDoor) => express.Router[];
}

/** What REST routes run before their handlers: body parsing, authentication + rate limit, Idempotency-Key. */
export interface RestDoor {
  json: RequestHandler;
  /** Request count and latency per route. */
  timer: RequestHandler;
  auth: RequestHandler;
  /** Per write route: the Idempotency-Key fingerprint covers the body as `bodySchema` validates it. */
  idempotent(bodySchema?: ZodType): RequestHandler;
  /** The service context of an authenticated request, built exactly as GraphQL builds it. */
  context(req: Request): ServiceContext;
  /** The gateway configuration (settings some services take, e.g. webhook endpoint management). */
  config: Config;
}

export interface BuiltApp {
  app: Express;
  apollo: ApolloServer<RequestContext>;
}

const RESPONSE = Symbol('response');
const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(deps: AppDeps): Promise<BuiltApp> {
  const { config, db, schema, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      customSuccessMessage: (req, res) => `${req.method} ${((req as Request).originalUrl ?? req.url)?.split('?')[0]} ${res.statusCode}`,
    }),
  );

  app.use(healthRoutes(deps.checks));
  // Unauthenticated like the health checks: scraped from inside the deployment.
  app.get('/metrics', async (_req, res, next) => {
    try {
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });
  app.use(graphiqlAssets());

  // Compiled execution (graphql-jit) unless LABGRAPH_GRAPHQL_EXECUTOR=graphql-js: the same
  // responses either way (src/graphql/execution/jitExecutor.ts); the switch is for comparison.
  const useJit = process.env.LABGRAPH_GRAPHQL_EXECUTOR !== 'graphql-js';
  const apollo = new ApolloServer<RequestContext>({
    ...(useJit
      ? {
          gateway: jitGateway(schema, {
            onCompileError: (message, operationName) => logger.warn({ operationName, message }, 'graphql-jit: not compiled, using graphql-js'),
            onExecute: (engine, reason) => deps.metrics.graphqlExecutions.inc({ engine, reason }),
          }),
        }
      : { schema }),
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError((err) => logger.error({ err }, 'graphql internal error')),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      limitsPlugin(schema, config.graphql),
      operationLabelPlugin<RequestContext>((ctx) => (ctx as RequestContext & { [RESPONSE]?: Response })[RESPONSE]),
    ],
  });
  await apollo.start();

  const authFor = (respond: typeof graphqlErrorResponder) =>
    authMiddleware({ authenticator: deps.authenticator, limiter: deps.limiter, rateLimit: config.rateLimit, respond });

  const serviceContextFor = (req: Request): ServiceContext => {
    const actor: Actor = { ...req.principal!, requestId: String(req.id), idempotencyKey: req.idempotency?.key ?? null };
    return { db, actor, idempotency: req.idempotency };
  };
  // Apollo may clone the context object per operation; a symbol-keyed property travels with the clone.
  const contextFor = async (req: Request, res: Response): Promise<RequestContext> =>
    Object.assign(createRequestContext(config, serviceContextFor(req)), { [RESPONSE]: res });

  app.get('/graphql', (req, res, next) => {
    if (config.graphql.graphiql && wantsGraphiql(req)) res.type('html').send(graphiqlPage());
    else next();
  });
  app.use(
    '/graphql',
    requestTimer(deps.metrics, 'graphql'),
    authFor(graphqlErrorResponder),
    express.json({ limit: '2mb' }),
    idempotencyMiddleware(db, config, 'graphql', graphqlErrorResponder, { onReplay: () => deps.metrics.idempotencyReplays.inc({ door: 'graphql' }) }),
    expressMiddleware(apollo, { context: ({ req, res }) => contextFor(req, res) }),
  );

  const restDoor: RestDoor = {
    json: express.json({ limit: '2mb' }),
    auth: authFor(restErrorResponder),
    timer: requestTimer(deps.metrics, 'rest'),
    idempotent: (bodySchema) =>
      idempotencyMiddleware(db, config, 'rest', restErrorResponder, { bodySchema, onReplay: () => deps.metrics.idempotencyReplays.inc({ door: 'rest' }) }),
    context: serviceContextFor,
    config,
  };
  for (const r of deps.routers?.(restDoor) ?? []) app.use(r);
  app.use(notFoundHandler);
  app.use(errorMiddleware(logger));
  return { app, apollo };
}
