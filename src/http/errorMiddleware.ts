import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { AppError } from '../errors/index.js';
import { toAppError } from '../errors/toAppError.js';
import type { Logger } from './logger.js';
import { errorHeaders } from './authMiddleware.js';

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
    restErrorResponder(app, req, res);
  };
}

/** REST error for failures before a route runs (auth, rate limit): the same envelope as errorMiddleware. */
export const restErrorResponder = (err: AppError, _req: unknown, res: Response): void => {
  errorHeaders(err, res);
  res.status(err.status).json({ detail: err.detail, message: err.message });
};
