import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import type { Metrics } from './metrics.js';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATIONS = 200;

/** Client-chosen operation names are labels: bounded in shape and number. */
function boundedLabels() {
  const seen = new Set<string>();
  return (name: string): string => {
    if (!NAME_RE.test(name)) return 'other';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATIONS) return 'other';
    seen.add(name);
    return name;
  };
}

/** Times every request of a door; the label is set by the door (GraphQL operation, REST route). */
export function requestTimer(metrics: Metrics, door: 'graphql' | 'rest'): RequestHandler {
  return (req, res, next) => {
    const end = metrics.requests.startTimer();
    res.on('finish', () => {
      const operation = door === 'rest' ? restRoute(req) : String(res.locals.operation ?? 'unresolved');
      end({ door, operation, status: String(res.statusCode) });
    });
    next();
  };
}

function restRoute(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route?.path;
  if (typeof route === 'string') return `${req.baseUrl}${route}`;
  if (Array.isArray(route) && typeof route[0] === 'string') return `${req.baseUrl}${route[0]}`;
  return 'unmatched';
}

/** Names the operation of a GraphQL request for the request timer. */
export function operationLabelPlugin<C extends object>(responseOf: (ctx: C) => Response | undefined): ApolloServerPlugin<C> {
  const label = boundedLabels();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName, operation, contextValue }) {
          const res = responseOf(contextValue);
          if (!res || !operation) return;
          const first = operation.selectionSet.selections.find((s) => s.kind === 'Field');
          const fallback = first && first.kind === 'Field' ? `${operation.operation}_${first.name.value}` : operation.operation;
          res.locals.operation = label(operationName ?? fallback);
        },
      };
    },
  };
}
