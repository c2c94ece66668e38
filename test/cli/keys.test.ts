// `npm run keys -- create|list|revoke` as an operator runs it: a child process that
// mints a key printed once on stdout, lists keys without secrets, revokes them, and
// refuses to touch an embedded data directory a running gateway holds.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { freshDatabase, usingPostgres, type TestDatabase } from '../helpers/db.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_TIMEOUT_MS = 150_000;
const KEY_RE = /^lgk_([A-Za-z0-9]{12})\.([A-Za-z0-9]{32})$/;
const CREATE = ['create', '--account', 'LIMS prod sync', '--role', 'READ_WRITE', '--scopes', 'objects:read,objects:write'];

interface Run { code: number | null; stdout: string; stderr: string }

/** `npx tsx src/cli/keys.ts …` with exactly the given database settings (nothing inherited). */
function runKeys(args: string[], db: { DATABASE_URL: string } | { LABGRAPH_DATA_DIR: string }): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'LABGRAPH_DATA_DIR', 'LABGRAPH_BOOTSTRAP_ADMIN_KEY', 'REDIS_URL']) delete env[k];
  Object.assign(env, db);
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/keys.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL'); // npx and the tsx it started
      } catch {
        child.kill('SIGKILL');
      }
    }, CLI_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function me(url: string, token: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { id kind name role permissions scopes authSource credentialId } }' }),
  });
  const body = (await res.json()) as { data?: { me: Record<string, unknown> } | null; errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, me: body.data?.me, code: body.errors?.[0]?.extensions?.code };
}

function expectMintedKey(r: Run): string {
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.split('\n');
  expect(lines).toHaveLength(2); // one line and its newline
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(KEY_RE);
  return lines[0];
}

function expectAuthenticatesAsLimsSync(m: Awaited<ReturnType<typeof me>>, keyId: string) {
  expect(m.status).toBe(200);
  expect(m.me).toMatchObject({ kind: 'service_account', name: 'LIMS prod sync', role: 'READ_WRITE', authSource: 'api_key', credentialId: keyId });
  expect([...(m.me!.permissions as string[])].sort()).toEqual(['objects:read', 'objects:write']);
  expect([...(m.me!.scopes as string[])].sort()).toEqual(['objects:read', 'objects:write']);
}

const keyIdOf = (token: string) => token.split('.')[0];

describe('embedded mode (LABGRAPH_DATA_DIR, no DATABASE_URL)', () => {
  let dir: string;
  let gateway: Gateway | undefined;
  let token: string;

  const startOnDir = async () => {
    gateway = await startGateway(loadConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', LABGRAPH_DATA_DIR: dir }));
    return gateway;
  };
  const stop = async () => {
    await gateway?.close();
    gateway = undefined;
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgraph-keys-'));
  });
  afterAll(async () => {
    await stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('create prints the key once, as the only line on stdout', async () => {
    const r = await runKeys(CREATE, { LABGRAPH_DATA_DIR: dir });
    token = expectMintedKey(r);
    expect(r.stderr).toContain(keyIdOf(token));
    expect(r.stderr).not.toContain(token.split('.')[1]);
    expect(fs.existsSync(path.join(dir, 'pgdata'))).toBe(true);
  }, CLI_TIMEOUT_MS + 10_000);

  it('the printed key authenticates against a gateway on that data directory', async () => {
    const g = await startOnDir();
    expectAuthenticatesAsLimsSync(await me(g.url, token), keyIdOf(token));
  }, 120_000);

  it('while that gateway runs, the CLI refuses the directory with one line and a non-zero exit', async () => {
    expect(gateway).toBeDefined();
    for (const args of [CREATE, ['list']]) {
      const r = await runKeys(args, { LABGRAPH_DATA_DIR: dir });
      expect(r.code, args[0]).not.toBe(0);
      expect(r.code, args[0]).not.toBeNull();
      expect(r.stdout, args[0]).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/in use/);
      expect(lines[0]).not.toMatch(/\bat .*\.ts:\d+/);
    }
    // The gateway was not disturbed.
    expect((await me(gateway!.url, token)).status).toBe(200);
  }, 2 * CLI_TIMEOUT_MS + 10_000);

  it('list shows the key id, never the secret', async () => {
    await stop();
    const r = await runKeys(['list'], { LABGRAPH_DATA_DIR: dir });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1); // the refused create above minted nothing
    expect(lines[0].split('\t')[0]).toBe(keyIdOf(token));
    expect(lines[0]).toContain('active');
    expect(r.stdout).not.toContain(token);
    expect(r.stdout).not.toContain(token.split('.')[1]);
    expect(r.stderr).not.toContain(token.split('.')[1]);
  }, CLI_TIMEOUT_MS + 10_000);

  it('revoke lgk_… makes the key 401; the rows it left hold no secret', async () => {
    const r = await runKeys(['revoke', keyIdOf(token)], { LABGRAPH_DATA_DIR: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`revoked ${keyIdOf(token)}`);

    const listed = await runKeys(['list'], { LABGRAPH_DATA_DIR: dir });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(keyIdOf(token));
    expect(listed.stdout).toMatch(/\trevoked /);

    const g = await startOnDir();
    const m = await me(g.url, token);
    expect(m.status).toBe(401);
    expect(m.code).toBe('UNAUTHENTICATED');

    const ops = await g.db.query<{ operation: string; actor_kind: string }>(`SELECT operation, actor_kind FROM audit_log ORDER BY id`);
    expect(ops.map((o) => o.operation)).toEqual(['createServiceAccount', 'createApiKey', 'revokeApiKey']);
    const dump = JSON.stringify([
      await g.db.query(`SELECT row_to_json(a)::text AS r FROM audit_log a`),
      await g.db.query(`SELECT row_to_json(k)::text AS r FROM api_key k`),
    ]);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.split('.')[1]);
  }, 3 * CLI_TIMEOUT_MS);
});

describe.skipIf(!usingPostgres)('PostgreSQL mode (DATABASE_URL)', () => {
  let testDb: TestDatabase;
  let t: TestGateway;

  beforeAll(async () => {
    testDb = await freshDatabase();
    t = await startTestGateway({ testDb });
  });
  afterAll(async () => {
    await t?.close();
    await testDb?.drop();
  });

  it('create, authenticate, list and revoke against a running gateway', async () => {
    const created = await runKeys(CREATE, { DATABASE_URL: testDb.url! });
    const token = expectMintedKey(created);
    expectAuthenticatesAsLimsSync(await me(t.url, token), keyIdOf(token));

    // A second key for the existing account: no --role needed, no new account.
    const second = await runKeys(['create', '--account', 'LIMS prod sync', '--scopes', 'objects:read'], { DATABASE_URL: testDb.url! });
    const token2 = expectMintedKey(second);
    expect(second.stderr).not.toContain('created service account');
    expect((await me(t.url, token2)).me).toMatchObject({ name: 'LIMS prod sync', permissions: ['objects:read'] });

    const listed = await runKeys(['list'], { DATABASE_URL: testDb.url! });
    expect(listed.code, listed.stderr).toBe(0);
    const ids = listed.stdout.trim().split('\n').map((l) => l.split('\t')[0]);
    expect(ids).toEqual(expect.arrayContaining([keyIdOf(token), keyIdOf(token2)]));
    for (const s of [token, token2]) expect(listed.stdout).not.toContain(s.split('.')[1]);

    const revoked = await runKeys(['revoke', keyIdOf(token)], { DATABASE_URL: testDb.url! });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout.trim()).toBe(`revoked ${keyIdOf(token)}`);
    // Revocation holds on the very next request of the running gateway.
    const m = await me(t.url, token);
    expect(m.status).toBe(401);
    expect(m.code).toBe('UNAUTHENTICATED');
    expect((await me(t.url, token2)).status).toBe(200);
  }, 4 * CLI_TIMEOUT_MS);
});
