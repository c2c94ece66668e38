// Bloom speaks FastAPI: a body that fails validation is a 422 whose detail is a
// list of {loc, msg, type}.
import type { Response } from 'express';
import type { z } from 'zod';

export class BloomValidationError extends Error {
  constructor(readonly detail: { loc: (string | number)[]; msg: string; type: string }[]) {
    super('validation failed');
  }
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown, where: 'body' | 'query' = 'body'): z.infer<S> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  throw new BloomValidationError(
    r.error.issues.map((i) => {
      const loc = [where, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
      // FastAPI's words for an absent required field (Bloom §0.1)
      const missing = i.code === 'invalid_type' && /received undefined$/.test(i.message);
      return missing ? { loc, msg: 'Field required', type: 'missing' } : { loc, msg: i.message, type: i.code };
    }),
  );
}

export function sendValidationError(res: Response, err: BloomValidationError): void {
  res.status(422).json({ detail: err.detail });
}
