// Raw HTTP helpers for the Idempotency-Key tests (test/idempotency/*.test.ts):
// requests whose body text and headers are under the test's control, and the row
// counts (objects, audit, outbox, idempotency records) the assertions are made on.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { adminAuth, ok, type TestGateway } from './gateway.js';

export interface RawResult {
  status: number;
  /** The response body exactly as received. */
  text: string;
  /** The body parsed as JSON (null when it is not JSON). */
  json: any;
  headers: Headers;
  /** `Idempotency-Replayed: true` was sent. */
  replayed: boolean;
}

/** A key nobody else in the run uses. */
export const newKey = (label = 'k') => `${label}-${randomBytes(8).toString('hex')}`;
export const uid = (label: string) => `${label}-${randomBytes(5).toString('hex')}`;

/**
 * Extra gateway env so the suite also runs against real Redis when REDIS_URL is set,
 * under a key prefix of its own.
 */
export function idemRedisEnv(): Record<string, string> {
  const url = process.env.REDIS_URL;
  return url ? { REDIS_URL: url, REDIS_KEY_PREFIX: `lgtest:idem:${randomBytes(4).toString('hex')}:` } : {};
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * One HTTP request to the gateway, as the bootstrap ADMIN unless `headers.authorization`
 * says otherwise. `body` is sent as given when it is a string, else as JSON.
 */
export async function send(
  t: Pick<TestGateway, 'url'>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResult> {
  const all: Record<string, string> = { ...adminAuth, ...headers };
  if (body !== undefined) all['content-type'] ??= 'application/json';
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: all,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: parse(text), headers: res.headers, replayed: res.headers.get('idempotency-replayed') === 'true' };
}

/** POST /graphql with `{query, variables}` (or a prepared body string) and an optional Idempotency-Key. */
export function gqlRaw(
  t: Pick<TestGateway, 'url'>,
  body: string | { query: string; variables?: Record<string, unknown>; operationName?: string },
  key?: string,
  headers: Record<string, string> = {},
): Promise<RawResult> {
  return send(t, 'POST', '/graphql', body, { ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers });
}

/** POST /api/v1/objects/ (Bloom shape) with an optional Idempotency-Key. */
export function restCreate(
  t: Pick<TestGateway, 'url'>,
  body: string | Record<string, unknown>,
  key?: string,
  headers: Record<string, string> = {},
): Promise<RawResult> {
  return send(t, 'POST', '/api/v1/objects/', body, { ...(key === undefined ? {} : { 'idempotency-key': key }), ...headers });
}

/**
 * POST with an Idempotency-Key header given as raw bytes (latin1 string of the bytes),
 * for values fetch refuses to send (characters beyond U+00FF).
 */
export function postWithRawKey(t: Pick<TestGateway, 'url'>, path: string, body: string, keyBytes: Buffer): Promise<{ status: number; json: any }> {
  const url = new URL(path, t.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: { ...adminAuth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': keyBytes.toString('latin1') },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function count(t: TestGateway, sql: string, params: unknown[]): Promise<number> {
  const [r] = await t.testDb.db.query<{ n: number }>(sql, params);
  return Number(r.n);
}

export const objectsWithExternalId = (t: TestGateway, externalId: string) =>
  count(t, `SELECT count(*)::int AS n FROM material_object WHERE external_id = $1`, [externalId]);
export const objectsNamed = (t: TestGateway, name: string) => count(t, `SELECT count(*)::int AS n FROM material_object WHERE name = $1`, [name]);
/** The types of the outbox events about `euid`, sorted (duplicates kept). */
export async function outboxFor(t: TestGateway, euid: string): Promise<string[]> {
  const rows = await t.testDb.db.query<{ type: string }>(`SELECT type FROM outbox_event WHERE euid = $1 ORDER BY type, id`, [euid]);
  return rows.map((r) => r.type);
}

/** What one create of a content object (sample) puts in the outbox: each event exactly once. */
export const ONE_CONTENT_CREATE = ['content.created', 'object.created'];

/** Totals of the tables a write touches: a replay must change none of them. */
export async function totals(t: TestGateway): Promise<{ objects: number; audit: number; outbox: number }> {
  const [r] = await t.testDb.db.query<{ objects: number; audit: number; outbox: number }>(
    `SELECT (SELECT count(*)::int FROM material_object) AS objects, (SELECT count(*)::int FROM audit_log) AS audit,
            (SELECT count(*)::int FROM outbox_event) AS outbox`,
  );
  return { objects: Number(r.objects), audit: Number(r.audit), outbox: Number(r.outbox) };
}

export interface AuditRow {
  id: string;
  operation: string;
  entityEuid: string;
  idempotencyKey: string | null;
  requestId: string | null;
}

/** The audit rows of one entity, read over GraphQL as the bootstrap ADMIN. */
export async function auditFor(t: TestGateway, entityEuid: string): Promise<AuditRow[]> {
  const r = await t.gql<{ auditLog: { nodes: AuditRow[]; pageInfo: { hasNextPage: boolean } } }>(
    `query($filter: AuditFilter) { auditLog(filter: $filter, first: 500) { nodes { id operation entityEuid idempotencyKey requestId } pageInfo { hasNextPage } } }`,
    { filter: { entityEuid } },
  );
  const page = ok(r).auditLog;
  if (page.pageInfo.hasNextPage) throw new Error('more than 500 audit rows');
  return page.nodes;
}

export interface IdemRow {
  id: number;
  principal: string;
  key: string;
  fingerprint: string;
  state: string;
  owner: string;
  status: number | null;
  content_type: string | null;
  body: string | null;
  result: unknown;
}

/** The idempotency records holding `key` (any principal). */
export function idemRows(t: TestGateway, key: string): Promise<IdemRow[]> {
  return t.testDb.db.query<IdemRow>(
    `SELECT id, principal, key, fingerprint, state, owner, status, content_type, body, result FROM idempotency_key WHERE key = $1 ORDER BY id`,
    [key],
  );
}

/**
 * The records once every completed one has its response bytes: those are stored
 * just after the response is sent (off the response path), so a test reading the
 * row right after the response must wait for them. Gives up after 5 s.
 */
export async function settledIdemRows(t: TestGateway, key: string): Promise<IdemRow[]> {
  const until = Date.now() + 5000;
  for (;;) {
    const rows = await idemRows(t, key);
    if (rows.every((r) => r.state !== 'completed' || r.body !== null) || Date.now() > until) return rows;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Holds `LOCK TABLE <table> IN SHARE MODE` in a transaction of its own (PostgreSQL),
 * so writes into the table wait; the returned function commits and disconnects.
 */
export async function holdTableLock(url: string, table: string): Promise<() => Promise<void>> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('BEGIN');
  await c.query(`LOCK TABLE ${table} IN SHARE MODE`);
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    try {
      await c.query('COMMIT');
    } finally {
      await c.end();
    }
  };
}
