import { AppError } from './index.js';

interface DbErrorShape {
  code?: unknown;
  message?: unknown;
  cause?: { code?: unknown; message?: unknown; kind?: unknown };
  meta?: {
    target?: unknown;
    driverAdapterError?: { cause?: { code?: unknown; message?: unknown; originalCode?: unknown; originalMessage?: unknown; kind?: unknown; constraint?: unknown } };
  };
}

/**
 * The SQLSTATE and a text naming the constraint, from whichever shape reached us:
 * Prisma over @prisma/adapter-pg (P2002 + meta), the PGlite adapter (a raw
 * DriverAdapterError whose cause is the PostgreSQL error), a raw query's error
 * (P2010, the driver's `code`/`message` under meta.driverAdapterError.cause), or pg itself.
 */
function dbFacts(err: DbErrorShape): { sqlState?: string; prismaCode?: string; text: string } {
  const dae = err.meta?.driverAdapterError?.cause;
  const sqlState = [err.cause?.code, dae?.originalCode, dae?.code, err.code].find((c): c is string => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c));
  const prismaCode = typeof err.code === 'string' && /^P\d{4}$/.test(err.code) ? err.code : undefined;
  const text = JSON.stringify([err.meta?.target, dae?.constraint, dae?.originalMessage, dae?.message, err.cause?.message, err.message]);
  return { sqlState, prismaCode, text };
}

/**
 * The one funnel: anything thrown becomes an AppError. Constraint violations that
 * escaped a service's own checks (races) become 409s, never 500s.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (typeof err !== 'object' || err === null) return new AppError('INTERNAL_SERVER_ERROR', 'Internal server error');
  const { sqlState, prismaCode, text } = dbFacts(err as DbErrorShape);
  if (prismaCode === 'P2002' || sqlState === '23505') {
    if (text.includes('external_id')) return new AppError('CONFLICT', 'external_id already exists', 'external_id_already_exists');
    if (text.includes('placement')) return new AppError('CONFLICT', 'The position or content is already taken', 'position_occupied');
    if (text.includes('lineage_edge')) return new AppError('CONFLICT', 'The lineage edge already exists', 'lineage_already_exists');
    return new AppError('CONFLICT', 'A record with the same unique fields already exists', 'conflict');
  }
  if (prismaCode === 'P2025') return new AppError('NOT_FOUND', 'Record not found', 'not_found');
  if (sqlState === '40001' || sqlState === '40P01' || sqlState === '55P03') {
    return new AppError('CONFLICT', 'Concurrent update, retry the request', 'concurrent_update', { retryAfterSeconds: 1 });
  }
  if (prismaCode === 'P2028' || prismaCode === 'P1001' || prismaCode === 'P1017' || prismaCode === 'P2024' || sqlState?.startsWith('08') || sqlState === '57P01') {
    return new AppError('SERVICE_UNAVAILABLE', 'Database temporarily unavailable', 'service_unavailable', { retryAfterSeconds: 1 });
  }
  return new AppError('INTERNAL_SERVER_ERROR', 'Internal server error');
}
