// The one place a write transaction opens. Services run inside it as
// (tx, actor, input) and record audit + outbox rows in the same transaction.
import type { Tx } from '../db/prisma.js';
import type { Actor } from '../auth/actor.js';
import type { ServiceContext } from './context.js';
import { toAppError } from '../errors/toAppError.js';

export type WriteFn<I, O> = (tx: Tx, actor: Actor, input: I) => Promise<O>;

export const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

export async function write<I, O>(ctx: ServiceContext, _op: string, input: I, fn: WriteFn<I, O>): Promise<O> {
  try {
    return await ctx.db.prisma.$transaction((tx) => fn(tx, ctx.actor, input), TX_OPTIONS);
  } catch (err) {
    throw toAppError(err);
  }
}
