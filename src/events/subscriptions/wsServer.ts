// graphql-ws on the /graphql path of the HTTP server. The credential comes in
// `connection_init` (payload `authorization`, or the upgrade request's header);
// a bad one closes the socket with 4401, the WebSocket twin of HTTP 401.
import type http from 'node:http';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../../config/env.js';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../http/logger.js';
import type { Principal } from '../../auth/actor.js';
import type { Authenticator } from '../../auth/authenticate.js';
import { createRequestContext } from '../../graphql/context.js';
import { createFormatError } from '../../graphql/formatError.js';
import type { EventBus } from '../bus/eventBus.js';
import { createSubscriptionHub, type SubscriptionHub } from './hub.js';
import { createSharedSubscribe } from './sharedExecution.js';

export interface SubscriptionServer {
  hub: SubscriptionHub;
  close(): Promise<void>;
}

export interface SubscriptionDeps {
  server: http.Server;
  schema: GraphQLSchema;
  db: Database;
  config: Config;
  bus: EventBus;
  authenticator: Authenticator;
  logger: Logger;
}

export const CLOSE_UNAUTHORIZED = 4401;

export function attachSubscriptions(deps: SubscriptionDeps): SubscriptionServer {
  const formatError = createFormatError((err) => deps.logger.error({ err }, 'subscription internal error'));
  const hub = createSubscriptionHub(deps.db, deps.bus);
  const wss = new WebSocketServer({ server: deps.server, path: '/graphql' });
  const principals = new WeakMap<object, Principal>();

  const cleanup = useServer<Record<string, unknown> | undefined, { principal?: Principal }>(
    {
      schema: deps.schema,
      subscribe: createSharedSubscribe(),
      async onConnect(ctx) {
        const fromInit = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const header = typeof fromInit === 'string' ? fromInit : ctx.extra.request.headers.authorization;
        try {
          principals.set(ctx.extra, await deps.authenticator.authenticate(header));
          return true;
        } catch {
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
          return false;
        }
      },
      // The same error funnel as HTTP: stable extensions.code, no internals.
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : result,
      context(ctx, id) {
        const principal = principals.get(ctx.extra)!;
        const service = { db: deps.db, actor: { ...principal, requestId: `ws:${id}`, idempotencyKey: null } };
        return { ...createRequestContext(deps.config, service), subscriptions: hub };
      },
    },
    wss,
  );

  return {
    hub,
    async close() {
      hub.close();
      for (const client of wss.clients) client.close(1001, 'Going away');
      await Promise.resolve(cleanup.dispose()).catch(() => undefined);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
