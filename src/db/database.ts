import { createHash } from 'node:crypto';
import type { PrismaClient } from './prisma.js';

export type DatabaseKind = 'embedded' | 'postgres';

/** How a statement is sent. */
export interface QueryOptions {
  /**
   * A hot statement whose text never varies (the credential lookup, the lineage traversal):
   * on PostgreSQL it is prepared once per pooled connection (a named statement) instead of
   * parsed and planned on every call; on the embedded default only when it has no
   * parameters (PREPARE/EXECUTE). The same rows either way.
   */
  prepare?: boolean;
}

const statementNames = new Map<string, string>();

/** The prepared statement's name for a text: a digest, so one text has one name everywhere. */
export function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = `lg_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`));
  return name;
}

export interface Session {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/** One handle on the store: Prisma for the model, plus the few raw capabilities Prisma lacks. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly prisma: PrismaClient;
  /** Parameterised SQL outside Prisma ($1, $2 … placeholders). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], opts?: QueryOptions): Promise<T[]>;
  /** A multi-statement script, e.g. a migration. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` on one dedicated connection (session-level locks, multi-step scripts). */
  withSession<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  /** Runs `fn` in one transaction on one connection (raw SQL outside Prisma); rolls back if it throws. */
  transaction<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; resolves to an unlisten function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Connection pool use (metrics). */
  poolStats(): { total: number; idle: number; waiting: number };
  /** Observe every statement sent (tests count queries; metrics time them). */
  onQuery(listener: (sql: string) => void): () => void;
  close(): Promise<void>;
}

export class QueryObservers {
  private readonly listeners = new Set<(sql: string) => void>();
  add(fn: (sql: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  emit(sql: string): void {
    for (const fn of this.listeners) fn(sql);
  }
}
