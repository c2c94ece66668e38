// Idempotency-Key on both doors. Claims the key before the request runs, replays a
// completed response byte-for-byte, and on the way out attaches the response bytes
// (success, right after sending) or releases the claim (failure, before sending),
// so an immediate retry always finds the final state.
import type { Request, RequestHandler, Response } from 'express';
import { Kind, parse, stripIgnoredCharacters, type OperationDefinitionNode } from 'graphql';
import type { ZodType } from 'zod';
import type { Config } from '../config/env.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/index.js';
import { claimIdempotencyKey, type ClaimHandle } from '../idempotency/claim.js';
import { fingerprint } from '../idempotency/fingerprint.js';
import { idempotencyKeyFrom } from '../idempotency/keyHeader.js';
import type { ErrorResponder } from './authMiddleware.js';

declare module 'express-serve-static-core' {
  interface Request {
    idempotency?: ClaimHandle;
  }
}

export const REPLAYED_HEADER = 'Idempotency-Replayed';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Door = 'graphql' | 'rest';

/** The route + body the fingerprint covers, or null when the key does not apply (reads). */
function subject(door: Door, req: Request, bodySchema?: ZodType): { route: string; body: unknown } | null {
  if (door === 'rest') {
    if (!WRITE_METHODS.has(req.method)) return null;
    // The validated body (defaults filled, unknown fields dropped); an invalid one is refused by the route, unclaimed.
    const parsed = bodySchema ? bodySchema.safeParse(req.body ?? {}) : { success: true as const, data: req.body ?? null };
    // The query string is part of the request (`?hard_delete=true` is another request than without).
    return parsed.success ? { route: req.baseUrl + req.path, body: { body: parsed.data ?? null, query: req.query } } : null;
  }
  const body = (req.body ?? {}) as { query?: unknown; operationName?: unknown; variables?: unknown };
  if (req.method !== 'POST' || typeof body.query !== 'string') return null;
  const doc = analyse(body.query);
  if (!doc) return null; // Apollo reports the syntax error; nothing runs, nothing to claim
  const opName = typeof body.operationName === 'string' ? body.operationName : undefined;
  const op = opName !== undefined ? doc.ops.find((o) => o.name === opName) : doc.ops.length === 1 ? doc.ops[0] : undefined;
  if (!op || !op.mutation) return null;
  if (op.fields.length !== 1) {
    throw new AppError('BAD_USER_INPUT', 'A request with an Idempotency-Key must contain exactly one mutation field', 'idempotency_key_single_mutation', { status: 400 });
  }
  return { route: `/graphql#${op.fields[0]}`, body: { query: doc.stripped, operationName: body.operationName ?? null, variables: body.variables ?? null } };
}

interface AnalysedDocument {
  stripped: string;
  ops: { name?: string; mutation: boolean; fields: string[] }[];
}

// Clients send the same mutation text with new variables: parse each text once.
const analysed = new Map<string, AnalysedDocument | null>();

function analyse(query: string): AnalysedDocument | null {
  const hit = analysed.get(query);
  if (hit !== undefined) return hit;
  let doc: AnalysedDocument | null;
  try {
    const ops = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    doc = {
      stripped: stripIgnoredCharacters(query),
      ops: ops.map((o) => ({
        name: o.name?.value,
        mutation: o.operation === 'mutation',
        fields: o.selectionSet.selections
          .filter((sel) => !(sel.kind === Kind.FIELD && sel.name.value === '__typename'))
          .map((sel) => (sel.kind === Kind.FIELD ? sel.name.value : 'mutation')),
      })),
    };
  } catch {
    doc = null;
  }
  if (query.length <= 10_000) {
    if (analysed.size >= 1000) analysed.clear();
    analysed.set(query, doc);
  }
  return doc;
}

/** Collects what the handler writes and runs `beforeEnd` before the bytes leave. */
function captureResponse(res: Response, beforeEnd: (body: string) => Promise<void>): void {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  const end = res.end.bind(res) as (...a: unknown[]) => Response;
  const collect = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  };
  res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    collect(chunk, encoding);
    return write(chunk, encoding, cb);
  }) as Response['write'];
  res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
    collect(chunk, encoding);
    beforeEnd(Buffer.concat(chunks).toString('utf8')).then(
      () => end(chunk, encoding, cb),
      () => end(chunk, encoding, cb),
    );
    return res;
  }) as Response['end'];
}

export function idempotencyMiddleware(
  db: Database,
  config: Pick<Config, 'idempotency'>,
  door: Door,
  respond: ErrorResponder,
  opts: { bodySchema?: ZodType; onReplay?: () => void } = {},
): RequestHandler {
  const { bodySchema, onReplay } = opts;
  return async (req, res, next) => {
    try {
      const key = idempotencyKeyFrom(req.headers['idempotency-key']);
      if (key === undefined) return next();
      const what = subject(door, req, bodySchema);
      if (!what) return next();
      const p = req.principal!;
      const outcome = await claimIdempotencyKey(
        db,
        { principal: `${p.kind}:${p.id}`, key, fingerprint: fingerprint(req.method, what.route, what.body) },
        config.idempotency,
      );
      if (outcome.kind !== 'proceed') onReplay?.();
      if (outcome.kind === 'replay') {
        const { status, contentType, body } = outcome.response;
        res.status(status).setHeader(REPLAYED_HEADER, 'true');
        if (contentType) res.setHeader('Content-Type', contentType);
        res.end(body);
        return;
      }
      const handle = outcome.handle;
      req.idempotency = handle;
      if (outcome.kind === 'reexecute') res.setHeader(REPLAYED_HEADER, 'true');
      captureResponse(res, async (body) => {
        if (handle.completed) {
          // Off the response path: a retry that arrives before the bytes are stored waits for them (claim.ts).
          const ct = res.getHeader('content-type');
          void handle.storeResponse({ status: res.statusCode, contentType: typeof ct === 'string' ? ct : null, body }).catch(() => undefined);
        } else {
          // Before the response: the client's corrected retry must find the key free.
          await handle.release();
        }
      });
      next();
    } catch (err) {
      if (err instanceof AppError) return respond(err, req, res);
      next(err);
    }
  };
}
