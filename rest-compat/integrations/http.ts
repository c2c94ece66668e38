// The request steps every integration route shares, in bioAF's order of checks
// (§3.4): credential (door.auth) → permission → validation (422 with loc in
// body/query/path) → status/QC refusal (400) → Idempotency-Key → the service.
// The rules themselves live in src/services/integrations.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { z } from 'zod';
import type { Permission } from '../../src/auth/permissions.js';
import { toAppError } from '../../src/errors/toAppError.js';
import { errorHeaders } from '../../src/http/authMiddleware.js';
import { requireIntegrationAccess } from '../../src/services/integrations/access.js';
import { refuseManagedFields } from '../../src/services/integrations/managedFields.js';
import { PathId } from '../../src/services/integrations/schemas.js';
import { BloomValidationError, parseBody } from '../bloom/validation.js';

export const gate = (perm: Permission, check: (p: NonNullable<Request['principal']>, perm: Permission) => void = requireIntegrationAccess): RequestHandler =>
  (req, _res, next) => {
    check(req.principal!, perm);
    next();
  };

/** The integer path id (`:id`, ≥ 1), reported under its bioAF name (e.g. project_id): 422 otherwise. */
export function pathId(req: Request, name: string): number {
  const r = PathId.safeParse(req.params.id);
  if (r.success) return r.data;
  throw new BloomValidationError(r.error.issues.map((i) => ({ loc: ['path', name], msg: i.message, type: i.code })));
}

/** Validates path id and body, then refuses status/QC writes — all before door.idempotent looks the key up. */
export const checked = (schema: z.ZodType, kind: 'project' | 'experiment' | 'sample' | null, idName?: string): RequestHandler => (req, _res, next) => {
  if (idName) pathId(req, idName);
  parseBody(schema, req.body);
  if (kind) refuseManagedFields(kind, req.body);
  next();
};

/** Renames service field paths to the names the caller sent (camelCase services, snake_case wire). */
export type FieldNames = Record<string, string>;

/** `{"detail": "<snake_case_code>"}`, or FastAPI's 422 list; unexpected errors go on to the app's handler (logged, 500). */
export const integrationErrors = (names: FieldNames = {}): ErrorRequestHandler => (err, _req, res, next) => {
  if (err instanceof BloomValidationError) return void res.status(422).json({ detail: err.detail });
  const app = toAppError(err);
  if (app.code === 'INTERNAL_SERVER_ERROR') return next(err);
  errorHeaders(app, res);
  if (app.code === 'BAD_USER_INPUT' && app.status === 422) {
    const issues = app.extra.issues?.length ? app.extra.issues : [{ path: [], message: app.message }];
    return void res.status(422).json({
      detail: issues.map((i) => ({ loc: ['body', ...i.path.map((p) => (typeof p === 'string' ? (names[p] ?? p) : p))], msg: i.message, type: 'value_error' })),
    });
  }
  res.status(app.status).json({ detail: app.detail });
};
