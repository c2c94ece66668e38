// The one place a write transaction opens. Services run inside it as
// (tx, actor, input) and record audit + outbox rows in the same transaction; the
// request's Idempotency-Key claim is completed in it too, so a write and its
// idempotency record commit or vanish together.
import type { Tx } from '../db/prisma.js';
import type { Actor } from '../auth/actor.js';
import type { ServiceContext } from './context.js';
import { toAppError } from '../errors/toAppError.js';

export type WriteFn<I, O> = (tx: Tx, actor: Actor, input: I) => Promise<O>;

export interface WriteOptions<O> {
  /** Secrets in the result (minted keys/tokens) that must never be stored for replay. */
  secrets?: (out: O) => string[];
}

export const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

export async function write<I, O>(ctx: ServiceContext, _op: string, input: I, fn: WriteFn<I, O>, opts: WriteOptions<O> = {}): Promise<O> {
  const claim = ctx.idempotency && !ctx.idempotency.completed ? ctx.idempotency : undefined;
  if (ctx.idempotency?.replaying) {
    ctx.idempotency.replaying = false;
    return ctx.idempotency.replayResult as O;
  }
  try {
    const out = await ctx.db.prisma.$transaction(async (tx) => {
      const result = await fn(tx, ctx.actor, input);
      if (claim) await claim.completeInTx(tx, result, opts.secrets?.(result) ?? []);
      return result;
    }, TX_OPTIONS);
    if (claim) claim.completed = true;
    return out;
  } catch (err) {
    throw toAppError(err);
  }
}
