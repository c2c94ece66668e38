import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError } from '../errors/index.js';
import { toAppError } from '../errors/toAppError.js';

// Codes Apollo itself produces for malformed requests; they pass through as-is.
const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_COMPLEX',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_FLIGHT',
]);

/** The one funnel for GraphQL errors: a stable extensions.code, never an internal detail. */
export function createFormatError(onInternal: (err: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (!(original instanceof AppError) && typeof code === 'string' && PASS_THROUGH.has(code)) {
      const { stacktrace: _s, http: _h, ...ext } = formatted.extensions ?? {};
      return { ...formatted, extensions: ext };
    }
    const app = toAppError(original);
    if (app.code === 'INTERNAL_SERVER_ERROR') onInternal(original);
    return {
      message: app.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: app.code,
        detail: app.detail,
        ...(app.extra.issues?.length ? { issues: app.extra.issues } : {}),
      },
    };
  };
}
