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
  REDIS_KEY_PREFIX: z.string().min(1).max(64).default('labgraph:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  GRAPHQL_MAX_DEPTH: intFrom(12, 1),
  GRAPHQL_MAX_COMPLEXITY: intFrom(20000, 1),
  LINEAGE_MAX_DEPTH: intFrom(25, 1),
  GRAPHIQL: z.enum(['on', 'off']).optional(),
  LABGRAPH_BOOTSTRAP_ADMIN_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  JWT_ALGORITHMS: z.string().min(1).optional(),
  JWT_ROLE_CLAIM: z.string().min(1).default('role'),
  JWT_GROUPS_CLAIM: z.string().min(1).default('groups'),
  JWT_DEFAULT_GROUPS: z.string().default('API_ACCESS'),
  USER_TOKEN_DEFAULT_HOURS: intFrom(48, 1),
  IDEMPOTENCY_TTL_HOURS: intFrom(24, 1),
  IDEMPOTENCY_LEASE_SECONDS: intFrom(60, 1),
  IDEMPOTENCY_SWEEP_SECONDS: intFrom(600, 1),
  OUTBOX_RETENTION_HOURS: intFrom(168, 1),
  OUTBOX_POLL_MS: intFrom(1000, 10),
  LABGRAPH_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  WEBHOOK_TIMEOUT_MS: intFrom(10_000, 100),
  WEBHOOK_RETRY_SCHEDULE: z.string().regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, 'comma-separated seconds').default('60,300,1800,7200,43200'),
  WEBHOOK_RETRY_JITTER: z.coerce.number().min(0).max(1).default(0.1),
  WEBHOOK_CONCURRENCY: intFrom(64, 1),
  WEBHOOK_ENDPOINT_CONCURRENCY: intFrom(16, 1),
  WEBHOOK_POLL_MS: intFrom(1000, 10),
  WEBHOOK_SECRET_OVERLAP_HOURS: intFrom(24, 0),
  WEBHOOK_ALLOW_HOSTS: z.string().default(''),
  RATE_LIMIT_MAX: intFrom(6000, 0),
  RATE_LIMIT_ANON_MAX: intFrom(120, 0),
  RATE_LIMIT_WINDOW_SECONDS: intFrom(60, 1),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  poolSize: number;
  redisUrl?: string;
  /** Namespaces every Redis key and channel (several deployments may share one Redis). */
  redisKeyPrefix: string;
  logLevel: Env['LOG_LEVEL'];
  production: boolean;
  graphql: { maxDepth: number; maxComplexity: number; graphiql: boolean };
  lineageMaxDepth: number;
  auth: {
    bootstrapAdminKey?: string;
    jwt?: JwtConfig;
    userTokenDefaultHours: number;
  };
  rateLimit: { max: number; anonMax: number; windowSeconds: number };
  idempotency: { ttlSeconds: number; leaseSeconds: number; sweepSeconds: number };
  events: { retentionHours: number; pollMs: number };
  webhooks: {
    /** Encrypts endpoint secrets at rest; a fixed development key when unset (warned about in production). */
    encryptionKey?: string;
    timeoutMs: number;
    /** Seconds between attempts: attempt n+1 waits retrySchedule[n-1]; after the last gap the delivery is dead-lettered. */
    retrySchedule: number[];
    retryJitter: number;
    concurrency: number;
    endpointConcurrency: number;
    pollMs: number;
    secretOverlapHours: number;
    /** Hosts (or IPs) allowed although they resolve to loopback/private/link-local addresses (SSRF guard). */
    allowHosts: string[];
  };
}

export interface JwtConfig {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  algorithms: string[];
  roleClaim: string;
  groupsClaim: string;
  defaultGroups: string[];
}

const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export class ConfigError extends Error {}

const KEEP_EMPTY = new Set(['JWT_DEFAULT_GROUPS']);

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "unset", except where empty is a value of its own (no default groups).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([k, v]) => v !== '' || KEEP_EMPTY.has(k)));
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
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    logLevel: e.LOG_LEVEL,
    production,
    graphql: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxComplexity: e.GRAPHQL_MAX_COMPLEXITY,
      graphiql: e.GRAPHIQL ? e.GRAPHIQL === 'on' : !production,
    },
    lineageMaxDepth: e.LINEAGE_MAX_DEPTH,
    auth: {
      bootstrapAdminKey: e.LABGRAPH_BOOTSTRAP_ADMIN_KEY,
      jwt: jwtConfig(e),
      userTokenDefaultHours: e.USER_TOKEN_DEFAULT_HOURS,
    },
    rateLimit: { max: e.RATE_LIMIT_MAX, anonMax: e.RATE_LIMIT_ANON_MAX, windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS },
    events: { retentionHours: e.OUTBOX_RETENTION_HOURS, pollMs: e.OUTBOX_POLL_MS },
    webhooks: {
      encryptionKey: e.LABGRAPH_ENCRYPTION_KEY,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retrySchedule: e.WEBHOOK_RETRY_SCHEDULE.split(',').map(Number),
      retryJitter: e.WEBHOOK_RETRY_JITTER,
      concurrency: e.WEBHOOK_CONCURRENCY,
      endpointConcurrency: e.WEBHOOK_ENDPOINT_CONCURRENCY,
      pollMs: e.WEBHOOK_POLL_MS,
      secretOverlapHours: e.WEBHOOK_SECRET_OVERLAP_HOURS,
      allowHosts: list(e.WEBHOOK_ALLOW_HOSTS),
    },
    idempotency: { ttlSeconds: e.IDEMPOTENCY_TTL_HOURS * 3600, leaseSeconds: e.IDEMPOTENCY_LEASE_SECONDS, sweepSeconds: e.IDEMPOTENCY_SWEEP_SECONDS },
  };
}

function jwtConfig(e: Env): JwtConfig | undefined {
  if (!e.JWT_SECRET && !e.JWT_JWKS_URL) return undefined;
  if (e.JWT_SECRET && e.JWT_JWKS_URL) throw new ConfigError('Invalid configuration: set JWT_SECRET or JWT_JWKS_URL, not both');
  // Explicit algorithms per key kind: an HMAC secret never verifies an RS/ES token and vice versa.
  const algorithms = list(e.JWT_ALGORITHMS);
  const allowed = e.JWT_SECRET ? ['HS256', 'HS384', 'HS512'] : ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];
  const bad = algorithms.filter((a) => !allowed.includes(a));
  if (bad.length) throw new ConfigError(`Invalid configuration: JWT_ALGORITHMS ${bad.join(',')} not allowed with ${e.JWT_SECRET ? 'JWT_SECRET' : 'JWT_JWKS_URL'}`);
  return {
    secret: e.JWT_SECRET,
    jwksUrl: e.JWT_JWKS_URL,
    issuer: e.JWT_ISSUER,
    audience: e.JWT_AUDIENCE,
    algorithms: algorithms.length ? algorithms : e.JWT_SECRET ? ['HS256'] : ['RS256', 'ES256'],
    roleClaim: e.JWT_ROLE_CLAIM,
    groupsClaim: e.JWT_GROUPS_CLAIM,
    defaultGroups: list(e.JWT_DEFAULT_GROUPS),
  };
}
