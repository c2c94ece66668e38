// Statement counting: background workers (outbox dispatcher, webhook worker, sweeps)
// share the database handle, so a count keeps only what the request itself sent.
const BACKGROUND = /outbox_event|webhook_delivery|webhook_endpoint|pg_try_advisory_xact_lock|idempotency_key|^\s*(BEGIN|COMMIT|ROLLBACK)\s*$/i;
const AUTH = /FROM api_key/;

export function requestStatements(seen: string[], opts: { includeAuth?: boolean } = {}): string[] {
  return seen.filter((s) => !BACKGROUND.test(s) && (opts.includeAuth || !AUTH.test(s)));
}
