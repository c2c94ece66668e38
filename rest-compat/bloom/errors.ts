import type { ErrorRequestHandler } from 'express';
import { toAppError } from '../../src/errors/toAppError.js';
import { errorHeaders } from '../../src/http/authMiddleware.js';
import { BloomValidationError, sendValidationError } from './validation.js';

const GATEWAY_CODES = new Set<string>(['UNAUTHENTICATED', 'RATE_LIMITED', 'IDEMPOTENCY_KEY_IN_FLIGHT', 'IDEMPOTENCY_KEY_REUSED', 'SERVICE_UNAVAILABLE']);

/** Bloom's error envelope: `{"detail": "<message>"}` (the human message, e.g. "Object not found: X"). */
export const bloomErrors: ErrorRequestHandler = (err, _req, res, next) => {
  if (err instanceof BloomValidationError) return sendValidationError(res, err);
  const app = toAppError(err);
  if (app.code === 'INTERNAL_SERVER_ERROR') return next(err); // logged by the app's error middleware
  errorHeaders(app, res);
  // Validation inside a service keeps FastAPI's list shape.
  if (app.code === 'BAD_USER_INPUT' && app.extra.issues?.length && app.status === 422) {
    return sendValidationError(res, new BloomValidationError(app.extra.issues.map((i) => ({ loc: ['body', ...i.path], msg: i.message, type: 'value_error' }))));
  }
  // Gateway-level failures keep their stable snake_case detail (bioAF §2.3, §5); domain errors Bloom's message.
  res.status(app.status).json({ detail: GATEWAY_CODES.has(app.code) ? app.detail : app.message });
};
