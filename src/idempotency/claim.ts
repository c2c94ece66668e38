// Idempotency records (bioAF §5, "our contract"): claim first in a statement of its
// own, complete inside the write's transaction, attach the response bytes, release
// on failure. A claim whose holder died is taken over once its lease runs out.
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { Tx } from '../db/prisma.js';
import { AppError } from '../errors/index.js';
import { decodeResult, encodeResult } from './resultCodec.js';

export interface IdempotencyPolicy {
  ttlSeconds: number;
  leaseSeconds: number;
}

export interface ClaimRequest {
  principal: string;
  key: string;
  fingerprint: string;
}

export interface StoredResponse {
  status: number;
  contentType: string | null;
  body: string;
}

/** What a write sees of its request's claim (ServiceContext.idempotency). */
export interface IdempotencyHandle {
  readonly key: string;
  /** True when the original response was lost: the next write returns `replayResult` instead of running. */
  replaying: boolean;
  readonly replayResult?: unknown;
  completed: boolean;
  /** Inside the write transaction: marks the claim completed with the service result. */
  completeInTx(tx: Tx, result: unknown, secrets: string[]): Promise<void>;
}

export type ClaimOutcome =
  | { kind: 'proceed'; handle: ClaimHandle }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'reexecute'; handle: ClaimHandle };

interface Row {
  id: number;
  fingerprint: string;
  state: string;
  owner: string;
  lease_expired: boolean;
  expired: boolean;
  result: unknown;
  status: number | null;
  content_type: string | null;
  body: string | null;
}

export const keyInFlight = () =>
  new AppError('IDEMPOTENCY_KEY_IN_FLIGHT', 'A request with this Idempotency-Key is still in progress; retry shortly', 'idempotency_key_in_flight', { retryAfterSeconds: 1 });
const keyReused = () =>
  new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request', 'idempotency_key_reused_with_different_body');

export class ClaimHandle implements IdempotencyHandle {
  completed: boolean;
  replaying: boolean;
  private secrets: string[] = [];

  constructor(
    private readonly db: Database,
    readonly id: number,
    readonly owner: string,
    readonly key: string,
    replay?: { result: unknown },
  ) {
    this.replaying = this.completed = replay !== undefined;
    this.replayResult = replay?.result;
  }

  readonly replayResult?: unknown;

  async completeInTx(tx: Tx, result: unknown, secrets: string[]): Promise<void> {
    this.secrets = secrets;
    const n = await tx.$executeRawUnsafe(
      `UPDATE idempotency_key SET state = 'completed', result = $1::jsonb WHERE id = $2 AND owner = $3 AND state = 'in_flight'`,
      redact(encodeResult(result ?? null), secrets),
      this.id,
      this.owner,
    );
    // The lease ran out and another request took the claim over: roll this write back.
    if (n !== 1) throw keyInFlight();
  }

  /** The response bytes, attached after commit (minted secrets redacted: they are never stored). */
  async storeResponse(r: StoredResponse): Promise<void> {
    await this.db.query(`UPDATE idempotency_key SET status = $1, content_type = $2, body = $3 WHERE id = $4 AND owner = $5`, [
      r.status, r.contentType, redact(r.body, this.secrets), this.id, this.owner,
    ]);
  }

  /** Failed or refused: the key is free again. */
  async release(): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_key WHERE id = $1 AND owner = $2 AND state = 'in_flight'`, [this.id, this.owner]);
  }
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((t, s) => (s ? t.split(s).join('[redacted]') : t), text);
}

const READ_RECORD = `SELECT id, fingerprint, state, owner, lease_until < now() AS lease_expired, expires_at < now() AS expired,
  result, status, content_type, body FROM idempotency_key WHERE principal = $1 AND key = $2`;
/** How long a retry waits for the bytes of a write that has just committed (they are stored right after sending). */
const BODY_WAIT_MS = 250;

async function readRecord(db: Database, req: ClaimRequest): Promise<Row | undefined> {
  let [row] = await db.query<Row>(READ_RECORD, [req.principal, req.key]);
  for (let waited = 0; row && row.state === 'completed' && row.body === null && !row.lease_expired && waited < BODY_WAIT_MS; waited += 10) {
    await new Promise((r) => setTimeout(r, 10));
    [row] = await db.query<Row>(READ_RECORD, [req.principal, req.key]);
  }
  return row;
}

export async function claimIdempotencyKey(db: Database, req: ClaimRequest, policy: IdempotencyPolicy): Promise<ClaimOutcome> {
  const owner = randomUUID();
  for (let attempt = 0; attempt < 3; attempt++) {
    const [claimed] = await db.query<{ id: number }>(
      `INSERT INTO idempotency_key (principal, key, fingerprint, owner, lease_until, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), now() + make_interval(secs => $6))
       ON CONFLICT (principal, key) DO NOTHING RETURNING id`,
      [req.principal, req.key, req.fingerprint, owner, policy.leaseSeconds, policy.ttlSeconds],
    );
    if (claimed) return { kind: 'proceed', handle: new ClaimHandle(db, Number(claimed.id), owner, req.key) };

    const row = await readRecord(db, req);
    if (!row) continue; // released between our two statements: claim again
    if (row.expired) {
      await db.query(`DELETE FROM idempotency_key WHERE id = $1 AND expires_at < now()`, [row.id]);
      continue;
    }
    if (row.fingerprint !== req.fingerprint) throw keyReused();
    if (row.state === 'completed' && row.body !== null && row.status !== null) {
      return { kind: 'replay', response: { status: row.status, contentType: row.content_type, body: row.body } };
    }
    if (!row.lease_expired) throw keyInFlight();
    // The holder died (lease over): take the claim over, atomically against other retries.
    const [taken] = await db.query<{ id: number }>(
      `UPDATE idempotency_key SET owner = $1, lease_until = now() + make_interval(secs => $2)
       WHERE id = $3 AND owner = $4 RETURNING id`,
      [owner, policy.leaseSeconds, row.id, row.owner],
    );
    if (!taken) throw keyInFlight();
    if (row.state === 'completed') {
      // Committed, but the response bytes were lost with the process: render them again from the stored result.
      const stored = typeof row.result === 'string' ? row.result : JSON.stringify(row.result);
      return { kind: 'reexecute', handle: new ClaimHandle(db, Number(row.id), owner, req.key, { result: decodeResult(stored) }) };
    }
    return { kind: 'proceed', handle: new ClaimHandle(db, Number(row.id), owner, req.key) };
  }
  throw keyInFlight();
}

/** Deletes expired records in bounded batches; returns how many went. */
export async function sweepIdempotencyKeys(db: Database, batch = 1000): Promise<number> {
  let total = 0;
  for (let i = 0; i < 100; i++) {
    const rows = await db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM idempotency_key WHERE id IN (SELECT id FROM idempotency_key WHERE expires_at < now() LIMIT $1) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [batch],
    );
    total += rows[0].n;
    if (rows[0].n < batch) break;
  }
  return total;
}
