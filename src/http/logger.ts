import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout. Credentials are redacted wherever they could appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'labgraph' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.secret', '*.token', '*.plaintext'],
      censor: '[redacted]',
    },
  });
}
