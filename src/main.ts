// Boot and graceful shutdown. A bad configuration or unreachable database is one
// clear line on stderr and exit code 1, never a stack trace.
import { loadConfig, ConfigError } from './config/env.js';
import { DatabaseUnavailableError } from './db/client.js';
import { DataDirLockedError } from './db/dataDirLock.js';
import { RedisUnavailableError } from './redis/connect.js';
import { createLogger } from './http/logger.js';
import { startGateway } from './gateway.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const gateway = await startGateway(config, { logger });
  const mode = config.databaseUrl ? 'postgres' : `embedded (${config.dataDir})`;
  logger.info({ url: gateway.url, mode }, `labgraph listening on ${gateway.url}/graphql (${mode})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const known = err instanceof ConfigError || err instanceof DatabaseUnavailableError || err instanceof DataDirLockedError || err instanceof RedisUnavailableError;
  const code = (err as { code?: string }).code;
  const msg = known
    ? err.message
    : code === 'EADDRINUSE'
      ? `port already in use: ${(err as Error).message}`
      : `startup failed: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`labgraph: ${msg}\n`);
  process.exit(1);
});
