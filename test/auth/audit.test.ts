// The audit log: one row per successful write, committed with it, naming the
// service account and key that made it and the request it came from; readable by
// ADMIN only, filterable, paginated, append-only, never holding a secret.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, ok, startTestGateway, type GqlResult, type TestGateway } from '../helpers/gateway.js';
import { BLOOD, GDNA, PLATE_96, create } from '../helpers/fixtures.js';
import { bearer, mintKey, type MintedKey } from '../helpers/auditAccounts.js';

interface Entry {
  id: string;
  occurredAt: string;
  actorKind: string;
  actorId: string;
  credentialId: string | null;
  operation: string;
  entityType: string;
  entityEuid: string;
  changes: Record<string, { old: unknown; new: unknown }>;
  requestId: string | null;
  idempotencyKey: string | null;
}
interface AuditPage {
  auditLog: { nodes: Entry[]; edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const AUDIT_QUERY = `query($filter: AuditFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    nodes { id occurredAt actorKind actorId credentialId operation entityType entityEuid changes requestId idempotencyKey }
    edges { cursor node { id } }
    pageInfo { hasNextPage endCursor }
  } }`;

let t: TestGateway;
/** ADMIN and READ_WRITE keys minted in the test; the audited writes are made with them, not the bootstrap key. */
let admin: MintedKey;
let rw: MintedKey;
/** Every secret handed out during the run: none may ever show up in the audit log. */
const secrets: string[] = [ADMIN_KEY];

async function audit(filter: Record<string, unknown> = {}, first = 500, after?: string): Promise<GqlResult<AuditPage>> {
  return t.gql<AuditPage>(AUDIT_QUERY, { filter, first, ...(after ? { after } : {}) }, bearer(admin.token));
}

async function allEntries(filter: Record<string, unknown> = {}): Promise<Entry[]> {
  const page = ok(await audit(filter, 500)).auditLog;
  expect(page.pageInfo.hasNextPage).toBe(false);
  return page.nodes;
}

async function rowCount(): Promise<number> {
  const [r] = await t.testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);
  return Number(r.n);
}

/** Runs one mutation with `key` and X-Request-Id; asserts it wrote exactly one audit row, and returns the data and that row. */
async function audited<T = Record<string, any>>(key: MintedKey, query: string, variables: Record<string, unknown> = {}) {
  const requestId = `audit-${randomBytes(6).toString('hex')}`;
  const beforeTop = (await allEntries())[0]?.id;
  const beforeCount = await rowCount();
  const r = await t.gql<T>(query, variables, { ...bearer(key.token), 'x-request-id': requestId });
  const data = ok(r);
  expect(r.headers.get('x-request-id')).toBe(requestId);

  const after = await allEntries();
  const top = after.findIndex((e) => e.id === beforeTop);
  const fresh = top === -1 ? after : after.slice(0, top);
  expect(fresh).toHaveLength(1);
  expect(await rowCount()).toBe(beforeCount + 1);
  const row = fresh[0];
  expect(row).toMatchObject({
    actorKind: 'service_account',
    actorId: key.accountId,
    credentialId: key.id,
    requestId,
    idempotencyKey: null,
  });
  expect(row.credentialId).toMatch(/^lgk_[A-Za-z0-9]{12}$/);
  expect(row.id).toMatch(/^ADT-/);
  expect(Number.isNaN(Date.parse(row.occurredAt))).toBe(false);
  return { data, row };
}

beforeAll(async () => {
  t = await startTestGateway();
  admin = await mintKey(t, { role: 'ADMIN', name: 'audit-admin' });
  rw = await mintKey(t, { role: 'READ_WRITE', name: 'audit-lims-sync' });
  secrets.push(admin.token, rw.token);
});
afterAll(async () => {
  await t?.close();
});

describe('one audit row per mutation, naming the key and the request', () => {
  it('createObject', async () => {
    const { data, row } = await audited(rw, `mutation { createObject(input: { templateCode: "${PLATE_96}", name: "Audit plate", externalId: "aud-plate-1" }) { id } }`);
    expect(row).toMatchObject({ operation: 'createObject', entityType: 'container', entityEuid: data.createObject.id });
    expect(row.changes.name).toEqual({ old: null, new: 'Audit plate' });
    expect(row.changes.externalId).toEqual({ old: null, new: 'aud-plate-1' });
  });

  it('updateObject records old → new for the changed fields only', async () => {
    const id = await create(t, { templateCode: GDNA, name: 'before', externalId: 'aud-upd-1', barcode: 'BC-AUD-1', properties: { volume_ul: 50 } }, bearer(rw.token));
    const { row } = await audited(rw, `mutation($id: ID!) { updateObject(euid: $id, input: { name: "after", externalId: "aud-upd-2", barcode: "BC-AUD-1" }) { id } }`, { id });
    expect(row).toMatchObject({ operation: 'updateObject', entityType: 'content', entityEuid: id });
    expect(row.changes).toEqual({ name: { old: 'before', new: 'after' }, externalId: { old: 'aud-upd-1', new: 'aud-upd-2' } });
  });

  it('deleteObject', async () => {
    const id = await create(t, { templateCode: GDNA }, bearer(rw.token));
    const { row } = await audited(rw, `mutation($id: ID!) { deleteObject(euid: $id) { deleted } }`, { id });
    expect(row).toMatchObject({ operation: 'deleteObject', entityEuid: id });
    expect(row.changes.deleted).toEqual({ old: false, new: true });
  });

  it('linkLineage and unlinkLineage', async () => {
    const parent = await create(t, { templateCode: BLOOD }, bearer(rw.token));
    const child = await create(t, { templateCode: GDNA }, bearer(rw.token));
    const link = await audited(rw, `mutation($p: ID!, $c: ID!) { linkLineage(input: { parentEuid: $p, childEuid: $c, relationshipType: "extraction" }) { id } }`, { p: parent, c: child });
    const edge = link.data.linkLineage.id as string;
    expect(link.row).toMatchObject({ operation: 'linkLineage', entityType: 'lineage', entityEuid: edge });
    expect(link.row.changes.edge).toEqual({ old: null, new: { parent, child, relationshipType: 'extraction' } });

    const unlink = await audited(rw, `mutation($e: ID!) { unlinkLineage(euid: $e) { deleted } }`, { e: edge });
    expect(unlink.row).toMatchObject({ operation: 'unlinkLineage', entityType: 'lineage', entityEuid: edge });
    expect(unlink.row.changes.edge).toEqual({ old: { parent, child, relationshipType: 'extraction' }, new: null });
  });

  it('placeInContainer and removeFromContainer', async () => {
    const plate = await create(t, { templateCode: PLATE_96 }, bearer(rw.token));
    const sample = await create(t, { templateCode: GDNA }, bearer(rw.token));
    const placed = await audited(rw, `mutation($c: ID!, $s: ID!) { placeInContainer(input: { containerEuid: $c, contentEuid: $s, position: "C7" }) { position } }`, { c: plate, s: sample });
    expect(placed.row).toMatchObject({ operation: 'placeInContainer', entityEuid: plate });
    expect(placed.row.changes.placement).toEqual({ old: null, new: { content: sample, position: 'C7' } });

    const removed = await audited(rw, `mutation($c: ID!, $s: ID!) { removeFromContainer(input: { containerEuid: $c, contentEuid: $s }) { deleted } }`, { c: plate, s: sample });
    expect(removed.row).toMatchObject({ operation: 'removeFromContainer', entityEuid: plate });
    expect(removed.row.changes.placement).toEqual({ old: { content: sample, position: 'C7' }, new: null });
  });

  it('createServiceAccount and updateServiceAccount (changed fields only)', async () => {
    const created = await audited(admin, `mutation { createServiceAccount(input: { name: "audit-ci", role: "READ_ONLY" }) { id } }`);
    const id = created.data.createServiceAccount.id as string;
    expect(created.row).toMatchObject({ operation: 'createServiceAccount', entityType: 'service_account', entityEuid: id });
    expect(created.row.changes).toMatchObject({ name: { old: null, new: 'audit-ci' }, role: { old: null, new: 'READ_ONLY' } });

    const updated = await audited(admin, `mutation($id: ID!) { updateServiceAccount(id: $id, input: { role: "READ_WRITE", groups: ["API_ACCESS", "ENABLE_ATLAS_API"] }) { id } }`, { id });
    expect(updated.row).toMatchObject({ operation: 'updateServiceAccount', entityType: 'service_account', entityEuid: id });
    expect(updated.row.changes).toEqual({
      role: { old: 'READ_ONLY', new: 'READ_WRITE' },
      groups: { old: ['API_ACCESS'], new: ['API_ACCESS', 'ENABLE_ATLAS_API'] },
    });
  });

  it('createApiKey and revokeApiKey', async () => {
    const created = await audited(admin, `mutation($a: ID!) { createApiKey(input: { accountId: $a, name: "spare", scopes: ["objects:read"] }) { token key { id } } }`, { a: rw.accountId });
    const { token, key } = created.data.createApiKey as { token: string; key: { id: string } };
    secrets.push(token);
    expect(created.row).toMatchObject({ operation: 'createApiKey', entityType: 'api_key', entityEuid: key.id });
    expect(created.row.changes).toMatchObject({ name: { old: null, new: 'spare' }, scopes: { old: null, new: ['objects:read'] }, account: { old: null, new: rw.accountId } });

    const revoked = await audited(admin, `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`, { id: key.id });
    expect(revoked.row).toMatchObject({ operation: 'revokeApiKey', entityType: 'api_key', entityEuid: key.id });
    expect(revoked.row.changes.revokedAt.old).toBeNull();
    expect(typeof revoked.row.changes.revokedAt.new).toBe('string');

    // Revoking again changes nothing, so it records nothing.
    const count = await rowCount();
    ok(await t.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: key.id }, bearer(admin.token)));
    expect(await rowCount()).toBe(count);
  });

  it('createUser, createUserToken and revokeUserToken', async () => {
    const user = await audited(admin, `mutation { createUser(input: { email: "ana@lab.example", name: "Ana", role: "READ_WRITE" }) { id } }`);
    const userId = user.data.createUser.id as string;
    expect(user.row).toMatchObject({ operation: 'createUser', entityType: 'user', entityEuid: userId });
    expect(user.row.changes).toMatchObject({ subject: { old: null, new: 'ana@lab.example' }, name: { old: null, new: 'Ana' }, role: { old: null, new: 'READ_WRITE' } });

    const minted = await audited(admin, `mutation($u: ID!) { createUserToken(input: { userId: $u, name: "laptop", scope: "internal_rw" }) { secret token { id } } }`, { u: userId });
    const { secret, token } = minted.data.createUserToken as { secret: string; token: { id: string } };
    expect(secret).toMatch(/^blm_[0-9a-f]{64}$/);
    secrets.push(secret);
    expect(minted.row).toMatchObject({ operation: 'createUserToken', entityType: 'user_token', entityEuid: token.id });
    expect(minted.row.changes).toMatchObject({ name: { old: null, new: 'laptop' }, scope: { old: null, new: 'internal_rw' }, user: { old: null, new: userId } });

    const revoked = await audited(admin, `mutation($id: ID!) { revokeUserToken(id: $id) { status } }`, { id: token.id });
    expect(revoked.data.revokeUserToken.status).toBe('REVOKED');
    expect(revoked.row).toMatchObject({ operation: 'revokeUserToken', entityType: 'user_token', entityEuid: token.id });
  });
});

describe('failed writes leave no trace', () => {
  it.each([
    ['an unknown template', `mutation { createObject(input: { templateCode: "content/sample/nope/1.0" }) { id } }`, 'NOT_FOUND'],
    ['a malformed template code', `mutation { createObject(input: { templateCode: "../../etc/passwd" }) { id } }`, 'BAD_USER_INPUT'],
    ['a property of the wrong range', `mutation { createObject(input: { templateCode: "${GDNA}", properties: { volume_ul: -1 } }) { id } }`, 'BAD_USER_INPUT'],
    ['an account mutation without ADMIN', `mutation { createServiceAccount(input: { name: "sneaky", role: "ADMIN" }) { id } }`, 'FORBIDDEN'],
  ])('%s writes no audit row', async (_label, query, code) => {
    const before = await allEntries();
    const count = await rowCount();
    const r = await t.gql(query, {}, { ...bearer(rw.token), 'x-request-id': 'audit-failed-write' });
    expect(r.errors?.[0].extensions?.code).toBe(code);
    const after = await allEntries();
    expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));
    expect(await rowCount()).toBe(count);
    expect(after.some((e) => e.requestId === 'audit-failed-write')).toBe(false);
  });
});

describe('no secret in the audit log', () => {
  it('never holds a minted key, a user token secret or the bootstrap key', async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    const json = JSON.stringify(await allEntries());
    const raw = JSON.stringify(await t.testDb.db.query(`SELECT row_to_json(a)::text AS r FROM audit_log a`));
    for (const s of secrets) {
      expect(json).not.toContain(s);
      expect(raw).not.toContain(s);
      const secretPart = s.startsWith('lgk_') ? s.split('.')[1] : s;
      expect(json).not.toContain(secretPart);
      expect(raw).not.toContain(secretPart);
    }
  });
});

describe('reading the audit log', () => {
  it('filters by entity, newest first', async () => {
    const id = await create(t, { templateCode: GDNA, name: 'filtered' }, bearer(rw.token));
    ok(await t.gql(`mutation($id: ID!) { updateObject(euid: $id, input: { name: "filtered-2" }) { id } }`, { id }, bearer(rw.token)));
    ok(await t.gql(`mutation($id: ID!) { deleteObject(euid: $id) { deleted } }`, { id }, bearer(rw.token)));
    const rows = await allEntries({ entityEuid: id });
    expect(rows.map((e) => e.operation)).toEqual(['deleteObject', 'updateObject', 'createObject']);
    expect(rows.every((e) => e.entityEuid === id)).toBe(true);
  });

  it('filters by actor and by operation, alone and combined', async () => {
    const all = await allEntries();
    const byActor = await allEntries({ actorId: rw.accountId });
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.map((e) => e.id)).toEqual(all.filter((e) => e.actorId === rw.accountId).map((e) => e.id));

    const byOp = await allEntries({ operation: 'createApiKey' });
    expect(byOp.length).toBeGreaterThanOrEqual(3); // two by the bootstrap key in setup, one by the ADMIN key
    expect(byOp.map((e) => e.id)).toEqual(all.filter((e) => e.operation === 'createApiKey').map((e) => e.id));

    const both = await allEntries({ actorId: admin.accountId, operation: 'createApiKey' });
    expect(both.length).toBeGreaterThan(0);
    expect(both.map((e) => e.id)).toEqual(all.filter((e) => e.operation === 'createApiKey' && e.actorId === admin.accountId).map((e) => e.id));

    expect(await allEntries({ actorId: 'nobody' })).toEqual([]);
  });

  it('filters by time range: from inclusive, to exclusive', async () => {
    const all = await allEntries();
    const newest = all[0];
    const t0 = Date.parse(newest.occurredAt);
    const older = all.find((e) => Date.parse(e.occurredAt) < t0);
    expect(older, 'entries at two distinct instants').toBeDefined();
    const from = older!.occurredAt;
    const to = newest.occurredAt;
    const expected = all.filter((e) => Date.parse(e.occurredAt) >= Date.parse(from) && Date.parse(e.occurredAt) < Date.parse(to));
    const got = await allEntries({ from, to });
    expect(got.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(got.map((e) => e.id)).toContain(older!.id);
    expect(got.map((e) => e.id)).not.toContain(newest.id);

    expect((await allEntries({ from: to })).map((e) => e.id)).toContain(newest.id);
    expect(await allEntries({ from: new Date(t0 + 3_600_000).toISOString() })).toEqual([]);
    expect((await allEntries({ to: from })).every((e) => Date.parse(e.occurredAt) < Date.parse(from))).toBe(true);
  });

  it('pages with first: 2 through every entry without gaps or repeats', async () => {
    const all = (await allEntries()).map((e) => e.id);
    expect(all.length).toBeGreaterThan(6);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = ok(await audit({}, 2, after)).auditLog;
      pages += 1;
      expect(page.nodes.length).toBeLessThanOrEqual(2);
      seen.push(...page.nodes.map((n) => n.id));
      expect(page.edges.map((e) => e.node.id)).toEqual(page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      expect(page.nodes).toHaveLength(2);
      expect(page.pageInfo.endCursor).toBe(page.edges[1].cursor);
      after = page.pageInfo.endCursor!;
      expect(pages).toBeLessThan(500);
    }
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(all.length / 2));
  });

  it('refuses a garbage cursor with BAD_USER_INPUT', async () => {
    for (const after of ['garbage', Buffer.from('v1:BCN-16').toString('base64url'), Buffer.from('v2:whatever').toString('base64url')]) {
      const r = await audit({}, 2, after);
      expect(r.errors?.[0].extensions?.code, after).toBe('BAD_USER_INPUT');
      expect(r.data ?? null).toBeNull();
    }
  });

  it('is ADMIN only: a READ_WRITE key is FORBIDDEN, an ADMIN key without the audit:read scope too', async () => {
    const r = await t.gql(AUDIT_QUERY, { first: 1 }, bearer(rw.token));
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(r.errors?.[0].extensions?.detail).toBe('role_missing');
    expect(r.data ?? null).toBeNull();

    const capped = await mintKey(t, { role: 'ADMIN', scopes: ['objects:read'] });
    secrets.push(capped.token);
    const c = await t.gql(AUDIT_QUERY, { first: 1 }, bearer(capped.token));
    expect(c.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(c.errors?.[0].extensions?.detail).toBe('key_scope_missing');

    const anon = await t.gql(AUDIT_QUERY, { first: 1 }, { authorization: '' });
    expect(anon.status).toBe(401);
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('append-only', () => {
  it('rejects UPDATE and DELETE on audit_log, even in SQL', async () => {
    const before = await allEntries();
    expect(before.length).toBeGreaterThan(0);
    await expect(t.testDb.db.query(`UPDATE audit_log SET operation = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.testDb.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.testDb.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const after = await allEntries();
    expect(after).toEqual(before);
    expect(after.some((e) => e.operation === 'x')).toBe(false);
  });
});
