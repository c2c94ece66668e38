import type { Config } from '../config/env.js';
import type { ServiceContext } from '../services/context.js';
import { createLoaders, type Loaders } from './loaders/createLoaders.js';

export interface RequestContext extends ServiceContext {
  config: Config;
  loaders: Loaders;
}

export function createRequestContext(config: Config, service: ServiceContext): RequestContext {
  return { ...service, config, loaders: createLoaders(service.db) };
}
