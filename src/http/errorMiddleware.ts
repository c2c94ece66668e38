import type { ErrorRequestHandler, RequestHandler } from 'express';
import { toAppError } from '../errors/toAppError.js';
import type { Logger } from './logger.js';

export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).json({ detail: 'Not Found' });
};

/** REST errors: status from the error table, body {detail}. Never a stack trace, never a 500 for bad input. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    // body-parser rejections (malformed JSON, too large) are client errors
    const status = (err as { status?: number; type?: string }).status;
    if (typeof status === 'number' && status >= 400 && status < 500 && (err as { type?: string }).type) {
      res.status(status).json({ detail: status === 413 ? 'payload_too_large' : 'invalid_json' });
      return;
    }
    const app = toAppError(err);
    if (app.code === 'INTERNAL_SERVER_ERROR') logger.error({ err, reqId: req.id }, 'unhandled error');
    if (app.extra.retryAfterSeconds) res.setHeader('Retry-After', String(app.extra.retryAfterSeconds));
    for (const [k, v] of Object.entries(app.extra.headers ?? {})) res.setHeader(k, v);
    res.status(app.status).json({ detail: app.detail, message: app.message });
  };
}
