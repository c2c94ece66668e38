import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import type { Config } from '../config/env.js';
import type { ServiceContext } from '../services/context.js';
import type { IdempotencyHandle } from '../idempotency/claim.js';
import { createLoaders, type Loaders } from './loaders/createLoaders.js';

export interface RequestContext extends ServiceContext {
  config: Config;
  loaders: Loaders;
}

export function createRequestContext(db: Database, config: Config, actor: Actor, idempotency?: IdempotencyHandle): RequestContext {
  return { db, config, actor, idempotency, loaders: createLoaders(db) };
}
