// The one error table. GraphQL reads `code` into extensions.code; REST reads
// status + detail. Codes are a public contract: add, never rename.
export const ERRORS = {
  BAD_USER_INPUT: { status: 422, detail: 'validation_error' },
  BAD_REQUEST: { status: 400, detail: 'bad_request' },
  UNAUTHENTICATED: { status: 401, detail: 'missing_credentials' },
  FORBIDDEN: { status: 403, detail: 'role_missing' },
  NOT_FOUND: { status: 404, detail: 'not_found' },
  CONFLICT: { status: 409, detail: 'conflict' },
  CYCLE_DETECTED: { status: 409, detail: 'lineage_cycle' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, detail: 'idempotency_key_reused_with_different_body' },
  IDEMPOTENCY_KEY_IN_FLIGHT: { status: 409, detail: 'idempotency_key_in_flight' },
  RATE_LIMITED: { status: 429, detail: 'rate_limit_exceeded' },
  QUERY_TOO_COMPLEX: { status: 400, detail: 'query_too_complex' },
  SERVICE_UNAVAILABLE: { status: 503, detail: 'service_unavailable' },
  INTERNAL_SERVER_ERROR: { status: 500, detail: 'internal_error' },
} as const satisfies Record<string, { status: number; detail: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail: string = ERRORS[code].detail,
    readonly extra: { issues?: FieldIssue[]; retryAfterSeconds?: number; headers?: Record<string, string>; status?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return this.extra.status ?? ERRORS[this.code].status;
  }
}

export const notFound = (kind: string, id: string) =>
  new AppError('NOT_FOUND', `${kind} not found: ${id}`, `${kind.toLowerCase().replace(/\s+/g, '_')}_not_found`);

export const badInput = (message: string, issues: FieldIssue[] = []) =>
  new AppError('BAD_USER_INPUT', message, 'validation_error', { issues });

export const conflict = (message: string, detail = 'conflict') => new AppError('CONFLICT', message, detail);
