import type { z } from 'zod';
import { badInput } from '../errors/index.js';

/** Parses service input; any failure is a BAD_USER_INPUT with per-field issues. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
  const first = issues[0];
  throw badInput(first ? `${first.path.join('.') || 'input'}: ${first.message}` : 'Invalid input', issues);
}
