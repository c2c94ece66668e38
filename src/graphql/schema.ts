import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { ObjectResolver, ObjectConnectionResolver } from './objects/object.resolver.js';
import { BulkObjectResolver } from './objects/bulk.resolver.js';
import { ContainerResolver, PlacementResolver } from './containers/container.resolver.js';
import { LineageResolver } from './lineage/lineage.resolver.js';
import { TemplateResolver } from './templates/template.resolver.js';
import { NodeResolver } from './common/node.resolver.js';
import { MeResolver } from './auth/me.resolver.js';
import { AccountsResolver } from './auth/accounts.resolver.js';
import { TokensResolver } from './auth/tokens.resolver.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { EventResolver } from './events/event.resolver.js';
import { WebhooksResolver } from './webhooks/webhooks.resolver.js';
import { SearchResolver } from './search/search.resolver.js';
import { authChecker } from './authChecker.js';
import { Container, Content, GenericObject } from './objects/object.type.js';
import { Template } from './templates/template.type.js';
import { LineageEdge } from './lineage/lineage.type.js';

export const RESOLVERS = [
  NodeResolver,
  ObjectResolver,
  ObjectConnectionResolver,
  BulkObjectResolver,
  ContainerResolver,
  PlacementResolver,
  LineageResolver,
  TemplateResolver,
  MeResolver,
  AccountsResolver,
  TokensResolver,
  AuditResolver,
  EventResolver,
  WebhooksResolver,
  SearchResolver,
] as const;

let cached: Promise<GraphQLSchema> | undefined;

/** The executable schema (built once per process; type-graphql metadata is global anyway). */
export function buildLabgraphSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: RESOLVERS,
    orphanedTypes: [Container, Content, GenericObject, Template, LineageEdge],
    validate: false,
    authChecker,
    // Every subscription brings its own `subscribe` (the event hub); type-graphql still wants a PubSub.
    pubSub: {
      publish: () => undefined,
      subscribe: () => {
        throw new Error('topic subscriptions are not used: every @Subscription has its own subscribe');
      },
    },
  });
  return cached;
}
