// LABGRAPH_BOOTSTRAP_ADMIN_KEY: the operator's string becomes an ADMIN credential in
// every group, stored only as its SHA-256; changing it replaces it, removing it
// revokes it; without it a first start says how to mint the first admin key.
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBootstrapAdmin } from '../../src/auth/bootstrap.js';
import { GROUPS, PERMISSIONS } from '../../src/auth/permissions.js';
import { ConfigError, loadConfig } from '../../src/config/env.js';
import { startGateway } from '../../src/gateway.js';
import { emptyDatabase, freshDatabase, type TestDatabase } from '../helpers/db.js';
import { ADMIN_KEY, ok, startTestGateway, testConfig, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey, type MintedKey } from '../helpers/auditAccounts.js';
import { GDNA } from '../helpers/fixtures.js';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const operatorKey = (label: string) => `${label}-operator-chosen-${randomBytes(12).toString('hex')}`;

const ME = `{ me { id kind name role roles groups permissions scopes authSource credentialId } }`;

async function me(t: TestGateway, token: string) {
  return t.gql(ME, {}, bearer(token));
}

async function restMe(t: TestGateway, token: string) {
  const res = await fetch(`${t.url}/api/v1/auth/me`, { headers: bearer(token) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function expectRejected(t: TestGateway, token: string) {
  const g = await me(t, token);
  expect(g.status).toBe(401);
  expect(g.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  const r = await restMe(t, token);
  expect(r.status).toBe(401);
  expect(r.headers.get('www-authenticate')).toBe('Bearer');
}

/** Every row of every table in the schema, as text. */
async function everyRow(db: TestDatabase['db']): Promise<Record<string, string>> {
  const tables = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`);
  const out: Record<string, string> = {};
  for (const { tablename } of tables) {
    const rows = await db.query<{ r: string }>(`SELECT row_to_json(x)::text AS r FROM "${tablename}" x`);
    out[tablename] = rows.map((row) => row.r).join('\n');
  }
  return out;
}

describe('without LABGRAPH_BOOTSTRAP_ADMIN_KEY on an empty database', () => {
  it("is 'no_admin': nothing authenticates, and the start-up log says how to mint the first admin key", async () => {
    const testDb = await emptyDatabase();
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const gateway = await startGateway(testConfig({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: '' }), { db: testDb.db, logger: pino({ level: 'warn' }, sink) });
    try {
      expect(gateway.config.auth.bootstrapAdminKey).toBeUndefined();
      const res = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(res.status).toBe(401);
      const warning = lines.join('');
      expect(warning).toContain('LABGRAPH_BOOTSTRAP_ADMIN_KEY');
      expect(warning).toContain('npm run keys -- create');
      expect(await ensureBootstrapAdmin(testDb.db, undefined)).toBe('no_admin');
      expect(await testDb.db.query(`SELECT id FROM service_account`)).toEqual([]);
    } finally {
      await gateway.close();
      await testDb.drop();
    }
  });

  it("is 'no_admin' on a fresh migrated database too", async () => {
    const testDb = await freshDatabase();
    try {
      expect(await ensureBootstrapAdmin(testDb.db, undefined)).toBe('no_admin');
      expect(await testDb.db.query(`SELECT id FROM api_key`)).toEqual([]);
    } finally {
      await testDb.drop();
    }
  });
});

describe('the bootstrap key across restarts', () => {
  const key1 = operatorKey('first');
  const key2 = operatorKey('second');
  let testDb: TestDatabase;
  let t: TestGateway | undefined;
  let accountId: string;
  let minted: MintedKey;

  const restart = async (env: Record<string, string>) => {
    await t?.close();
    t = undefined;
    t = await startTestGateway({ testDb, env });
    return t;
  };

  beforeAll(async () => {
    testDb = await freshDatabase();
  });
  afterAll(async () => {
    await t?.close();
    await testDb?.drop();
  });

  it('authenticates as an ADMIN service account in every group, auth source "bootstrap"', async () => {
    const g = await restart({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: key1 });
    const p = ok(await me(g, key1)).me;
    expect(p).toMatchObject({ kind: 'service_account', name: 'bootstrap-admin', role: 'ADMIN', roles: ['ADMIN'], authSource: 'bootstrap', credentialId: 'bootstrap', scopes: null });
    expect(p.id).toMatch(/^[A-Z]{2,3}-/);
    expect([...p.groups].sort()).toEqual([...GROUPS].sort());
    expect(p.groups).toEqual(expect.arrayContaining(['API_ACCESS', 'ENABLE_ATLAS_API']));
    expect([...p.permissions].sort()).toEqual([...PERMISSIONS].sort());
    accountId = p.id;

    const rest = await restMe(g, key1);
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ id: accountId, role: 'ADMIN', auth_source: 'bootstrap', kind: 'service_account' });

    // It really is ADMIN: it sees itself among the service accounts and mints keys.
    const accounts = ok(await g.gql(`{ serviceAccounts { id name bootstrap role } }`, {}, bearer(key1))).serviceAccounts;
    expect(accounts).toEqual([{ id: accountId, name: 'bootstrap-admin', bootstrap: true, role: 'ADMIN' }]);
    minted = await mintKey(g, { role: 'ADMIN', name: 'ops-admin' }, bearer(key1));
    ok(await g.gql(`mutation { createObject(input: { templateCode: "${GDNA}" }) { id } }`, {}, bearer(key1)));
    expect(await ensureBootstrapAdmin(testDb.db, key1)).toBe('configured');
  });

  it('stores only its SHA-256: no row of any table holds the plaintext', async () => {
    const [row] = await testDb.db.query<{ hash: string; revoked_at: unknown }>(`SELECT hash, revoked_at FROM api_key WHERE key_id = 'bootstrap'`);
    expect(row.hash).toBe(sha256(key1));
    expect(row.revoked_at).toBeNull();
    const dump = await everyRow(testDb.db);
    for (const table of ['api_key', 'service_account', 'audit_log']) {
      expect(dump[table], table).toBeTruthy();
      expect(dump[table], table).not.toContain(key1);
    }
    expect(dump.audit_log).toContain('"credential_id":"bootstrap"');
    for (const [table, text] of Object.entries(dump)) expect(text, table).not.toContain(key1);
  });

  it('restarting with a different key: the old one is 401, the new one works, on the same account', async () => {
    const g = await restart({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: key2 });
    await expectRejected(g, key1);
    const p = ok(await me(g, key2)).me;
    expect(p).toMatchObject({ id: accountId, role: 'ADMIN', authSource: 'bootstrap' });
    const [{ n }] = await testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM service_account WHERE bootstrap`);
    expect(Number(n)).toBe(1);
    const [row] = await testDb.db.query<{ hash: string }>(`SELECT hash FROM api_key WHERE key_id = 'bootstrap'`);
    expect(row.hash).toBe(sha256(key2));
    const dump = Object.values(await everyRow(testDb.db)).join('\n');
    expect(dump).not.toContain(key1);
    expect(dump).not.toContain(key2);
  });

  it('restarting without it revokes it; keys minted with it keep working', async () => {
    const g = await restart({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: '' });
    await expectRejected(g, key2);
    await expectRejected(g, key1);
    const p = ok(await me(g, minted.token)).me;
    expect(p).toMatchObject({ id: minted.accountId, role: 'ADMIN', authSource: 'api_key' });
    expect(await ensureBootstrapAdmin(testDb.db, undefined)).toBe('admin_exists');
  });

  it('setting it again brings it back', async () => {
    const g = await restart({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: key1 });
    expect(ok(await me(g, key1)).me).toMatchObject({ id: accountId, authSource: 'bootstrap' });
    await expectRejected(g, key2);
  });

  // Whether the API refuses these updates or the next boot repairs them, the operator's key must be ADMIN again.
  const update = `mutation($id: ID!, $input: UpdateServiceAccountInput!) { updateServiceAccount(id: $id, input: $input) { id } }`;

  it('stays an ADMIN credential: demoting its account through the API does not outlive a restart with the key', async () => {
    let g = await restart({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: key1 });
    const refused = await g.gql(update, { id: accountId, input: { role: 'READ_ONLY', groups: ['API_ACCESS'] } }, bearer(minted.token));
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // Even a row changed behind the API's back is repaired by the next boot.
    await testDb.db.query(`UPDATE service_account SET role = 'READ_ONLY', groups = '{API_ACCESS}' WHERE bootstrap`);
    g = await restart({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: key1 });
    const demoted = await me(g, key1);
    expect(demoted.status).toBe(200);
    expect(demoted.data?.me).toMatchObject({ id: accountId, role: 'ADMIN', authSource: 'bootstrap' });
    expect([...(demoted.data?.me.permissions ?? [])].sort()).toEqual([...PERMISSIONS].sort());
  });

  it('stays a working credential: disabling its account through the API does not lock the operator out after a restart with the key', async () => {
    let g = await restart({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: key1 });
    const refused = await g.gql(update, { id: accountId, input: { active: false } }, bearer(minted.token));
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    await testDb.db.query(`UPDATE service_account SET active = false WHERE bootstrap`);
    g = await restart({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: key1 });
    expect(await ensureBootstrapAdmin(testDb.db, key1)).toBe('configured');
    const disabled = await me(g, key1);
    expect(disabled.errors ?? []).toEqual([]);
    expect(disabled.status).toBe(200);
    expect(disabled.data?.me).toMatchObject({ id: accountId, role: 'ADMIN', authSource: 'bootstrap' });
  });
});

describe('several instances booting at once', () => {
  it('share one bootstrap account and key, and both accept it', async () => {
    const key = operatorKey('concurrent');
    const testDb = await freshDatabase();
    const gateways = await Promise.all([0, 1, 2].map(() => startTestGateway({ testDb, env: { LABGRAPH_BOOTSTRAP_ADMIN_KEY: key } })));
    try {
      const ids = new Set<string>();
      for (const g of gateways) ids.add(ok(await me(g, key)).me.id);
      expect(ids.size).toBe(1);
      const [{ n }] = await testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM service_account WHERE bootstrap`);
      expect(Number(n)).toBe(1);
      const keys = await testDb.db.query(`SELECT id FROM api_key WHERE key_id = 'bootstrap'`);
      expect(keys).toHaveLength(1);
    } finally {
      for (const g of gateways) await g.close();
      await testDb.drop();
    }
  });
});

describe('configuration', () => {
  it('refuses a key shorter than 32 characters with a ConfigError', () => {
    for (const short of ['x', 'short-key', 'a'.repeat(31)]) {
      expect(() => loadConfig({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: short }), short).toThrow(ConfigError);
      expect(() => loadConfig({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: short }), short).toThrow(/LABGRAPH_BOOTSTRAP_ADMIN_KEY/);
    }
    expect(loadConfig({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: 'a'.repeat(32) }).auth.bootstrapAdminKey).toBe('a'.repeat(32));
    expect(loadConfig({ LABGRAPH_BOOTSTRAP_ADMIN_KEY: '' }).auth.bootstrapAdminKey).toBeUndefined();
  });
});
