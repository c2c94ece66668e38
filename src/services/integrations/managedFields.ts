// bioAF §3.3: status and QC are managed by the lab, never written through the
// integration routes. Checked on the raw body, after validation and before the
// Idempotency-Key lookup and any 404/409 check; an explicit null is accepted.
import { AppError } from '../../errors/index.js';

const refused = (field: 'status' | 'qc_status') =>
  new AppError('BAD_REQUEST', `${field} cannot be written through the integration API`,
    field === 'status' ? 'status_writes_not_permitted' : 'qc_writes_not_permitted', { status: 400 });

const present = (body: unknown, key: string) =>
  typeof body === 'object' && body !== null && !Array.isArray(body) && (body as Record<string, unknown>)[key] !== undefined
  && (body as Record<string, unknown>)[key] !== null;

/** Projects drop `status` silently (the reference's behaviour); experiments refuse it; samples refuse qc_status first. */
export function refuseManagedFields(kind: 'project' | 'experiment' | 'sample', body: unknown): void {
  if (kind === 'sample' && present(body, 'qc_status')) throw refused('qc_status');
  if (kind !== 'project' && present(body, 'status')) throw refused('status');
}
