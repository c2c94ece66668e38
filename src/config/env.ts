import path from 'node:path';
import { z } from 'zod';

const intFrom = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

const EnvSchema = z.object({
  PORT: intFrom(4000, 0),
  HOST: z.string().min(1).default('127.0.0.1'),
  LABGRAPH_DATA_DIR: z.string().min(1).default('.labgraph'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: intFrom(10, 1),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  GRAPHQL_MAX_DEPTH: intFrom(12, 1),
  GRAPHQL_MAX_COMPLEXITY: intFrom(20000, 1),
  LINEAGE_MAX_DEPTH: intFrom(25, 1),
  GRAPHIQL: z.enum(['on', 'off']).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  poolSize: number;
  redisUrl?: string;
  logLevel: Env['LOG_LEVEL'];
  production: boolean;
  graphql: { maxDepth: number; maxComplexity: number; graphiql: boolean };
  lineageMaxDepth: number;
}

export class ConfigError extends Error {}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${msg}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.LABGRAPH_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    poolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    production,
    graphql: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxComplexity: e.GRAPHQL_MAX_COMPLEXITY,
      graphiql: e.GRAPHIQL ? e.GRAPHIQL === 'on' : true,
    },
    lineageMaxDepth: e.LINEAGE_MAX_DEPTH,
  };
}
