// The auth matrix: every door × every kind of caller, over real HTTP. Each cell
// names the outcome a client sees: OK, UNAUTHENTICATED (HTTP 401 on both doors,
// WWW-Authenticate: Bearer), or FORBIDDEN:<detail> (GraphQL: HTTP 200 with
// errors[0].extensions.code FORBIDDEN and extensions.detail).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, ok, startTestGateway, type GqlResult, type TestGateway } from '../helpers/gateway.js';
import { SAMPLE, create } from '../helpers/fixtures.js';
import {
  authTestEnv, bearer, createAccount, createUser, mintKey, mintUserToken, restGet, revokeKey, unique,
  type Account, type MintedKey, type RestResult,
} from '../helpers/matrixAccounts.js';

type Expected = 'OK' | 'UNAUTHENTICATED' | `FORBIDDEN:${'role_missing' | 'key_scope_missing' | 'group_missing'}`;

const COLUMNS = [
  'no credential', 'malformed', 'unknown', 'revoked', 'expired',
  'READ_ONLY', 'READ_WRITE', 'ADMIN', 'missing group', 'scope missing',
] as const;
type Column = (typeof COLUMNS)[number];

const ROWS = ['me', 'objects', 'createObject', 'linkLineage', 'serviceAccounts', 'auditLog', 'createApiKey', 'REST GET /api/v1/auth/me'] as const;
type Row = (typeof ROWS)[number];

const U = 'UNAUTHENTICATED' as const;
const RM = 'FORBIDDEN:role_missing' as const;
const SM = 'FORBIDDEN:key_scope_missing' as const;
const GM = 'FORBIDDEN:group_missing' as const;

// prettier-ignore
const EXPECTED: Record<Row, Record<Column, Expected>> = {
  //                           no cred       malformed     unknown       revoked       expired        READ_ONLY         READ_WRITE        ADMIN           missing group        scope missing
  'me':                       { 'no credential': U, malformed: U, unknown: U, revoked: U, expired: U, READ_ONLY: 'OK', READ_WRITE: 'OK', ADMIN: 'OK', 'missing group': 'OK', 'scope missing': 'OK' },
  'objects':                  { 'no credential': U, malformed: U, unknown: U, revoked: U, expired: U, READ_ONLY: 'OK', READ_WRITE: 'OK', ADMIN: 'OK', 'missing group': GM,   'scope missing': 'OK' },
  'createObject':             { 'no credential': U, malformed: U, unknown: U, revoked: U, expired: U, READ_ONLY: RM,   READ_WRITE: 'OK', ADMIN: 'OK', 'missing group': GM,   'scope missing': SM },
  'linkLineage':              { 'no credential': U, malformed: U, unknown: U, revoked: U, expired: U, READ_ONLY: RM,   READ_WRITE: 'OK', ADMIN: 'OK', 'missing group': GM,   'scope missing': SM },
  'serviceAccounts':          { 'no credential': U, malformed: U, unknown: U, revoked: U, expired: U, READ_ONLY: RM,   READ_WRITE: RM,   ADMIN: 'OK', 'missing group': RM,   'scope missing': RM },
  'auditLog':                 { 'no credential': U, malformed: U, unknown: U, revoked: U, expired: U, READ_ONLY: RM,   READ_WRITE: RM,   ADMIN: 'OK', 'missing group': RM,   'scope missing': RM },
  'createApiKey':             { 'no credential': U, malformed: U, unknown: U, revoked: U, expired: U, READ_ONLY: RM,   READ_WRITE: RM,   ADMIN: 'OK', 'missing group': RM,   'scope missing': RM },
  'REST GET /api/v1/auth/me': { 'no credential': U, malformed: U, unknown: U, revoked: U, expired: U, READ_ONLY: 'OK', READ_WRITE: 'OK', ADMIN: 'OK', 'missing group': 'OK', 'scope missing': 'OK' },
};

/** One Authorization header sent for a column ('' = none), and the 401 detail it must produce. */
interface Variant {
  label: string;
  authorization: string;
  unauthDetail?: string;
}

/** The principal an authenticated column must resolve to. */
interface Who {
  id: string;
  role: string;
  credentialId: string;
}

let t: TestGateway;
let target: Account; // account that the ADMIN column mints keys for
let accounts: { ro: Account; rw: Account; admin: Account; noGroup: Account };
let keys: { ro: MintedKey; rw: MintedKey; admin: MintedKey; noGroup: MintedKey; scoped: MintedKey; revoked: MintedKey };
let variants: Record<Column, Variant[]>;
let who: Partial<Record<Column, Who>>;

beforeAll(async () => {
  t = await startTestGateway({ env: authTestEnv('matrix') });
  accounts = {
    ro: await createAccount(t, 'READ_ONLY', ['API_ACCESS']),
    rw: await createAccount(t, 'READ_WRITE', ['API_ACCESS']),
    admin: await createAccount(t, 'ADMIN', ['API_ACCESS']),
    noGroup: await createAccount(t, 'READ_WRITE', []),
  };
  target = await createAccount(t, 'READ_ONLY', ['API_ACCESS']);
  keys = {
    ro: await mintKey(t, accounts.ro.id),
    rw: await mintKey(t, accounts.rw.id),
    admin: await mintKey(t, accounts.admin.id),
    noGroup: await mintKey(t, accounts.noGroup.id),
    scoped: await mintKey(t, accounts.rw.id, ['objects:read']),
    revoked: await mintKey(t, accounts.ro.id),
  };
  expect(keys.scoped.scopes).toEqual(['objects:read']);

  // revoked: it worked, then it was revoked
  expect((await t.gql(`{ me { id } }`, {}, bearer(keys.revoked.token))).status).toBe(200);
  await revokeKey(t, keys.revoked.id);

  // expired: a real user token that worked, then its expiry moved into the past
  const user = await createUser(t, 'READ_WRITE', ['API_ACCESS']);
  const userToken = await mintUserToken(t, user.id, 'internal_rw');
  expect(ok(await t.gql(`{ me { id } }`, {}, bearer(userToken.secret))).me.id).toBe(user.subject);
  const updated = await t.testDb.db.query<{ token_id: string }>(
    `UPDATE user_token SET expires_at = now() - interval '1 hour' WHERE token_id = $1 RETURNING token_id`,
    [userToken.id],
  );
  expect(updated).toHaveLength(1);

  // so that objects(first: 1) has something to return
  await create(t, { templateCode: SAMPLE });

  const unknownKey = `lgk_${alnum(12)}.${alnum(32)}`;
  variants = {
    'no credential': [{ label: 'no Authorization header', authorization: '', unauthDetail: 'missing_credentials' }],
    malformed: [
      { label: 'Bearer lgk_short', authorization: 'Bearer lgk_short', unauthDetail: 'invalid_api_key' },
      { label: 'Basic scheme', authorization: 'Basic abc', unauthDetail: 'missing_credentials' },
    ],
    unknown: [{ label: 'well-formed, never minted', authorization: `Bearer ${unknownKey}`, unauthDetail: 'invalid_api_key' }],
    revoked: [{ label: 'revoked API key', authorization: `Bearer ${keys.revoked.token}`, unauthDetail: 'invalid_api_key' }],
    expired: [{ label: 'expired user token', authorization: `Bearer ${userToken.secret}`, unauthDetail: 'token_expired' }],
    READ_ONLY: [{ label: 'READ_ONLY key', authorization: `Bearer ${keys.ro.token}` }],
    READ_WRITE: [{ label: 'READ_WRITE key', authorization: `Bearer ${keys.rw.token}` }],
    ADMIN: [{ label: 'ADMIN key', authorization: `Bearer ${keys.admin.token}` }],
    'missing group': [{ label: 'READ_WRITE key, no API_ACCESS', authorization: `Bearer ${keys.noGroup.token}` }],
    'scope missing': [{ label: 'READ_WRITE key scoped to objects:read', authorization: `Bearer ${keys.scoped.token}` }],
  };
  who = {
    READ_ONLY: { id: accounts.ro.id, role: 'READ_ONLY', credentialId: keys.ro.id },
    READ_WRITE: { id: accounts.rw.id, role: 'READ_WRITE', credentialId: keys.rw.id },
    ADMIN: { id: accounts.admin.id, role: 'ADMIN', credentialId: keys.admin.id },
    'missing group': { id: accounts.noGroup.id, role: 'READ_WRITE', credentialId: keys.noGroup.id },
    'scope missing': { id: accounts.rw.id, role: 'READ_WRITE', credentialId: keys.scoped.id },
  };
  console.log(`auth matrix: ${ROWS.length} rows × ${COLUMNS.length} columns = ${ROWS.length * COLUMNS.length} cells`);
});

afterAll(async () => {
  await t?.close();
});

function alnum(n: number): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(n)].map((b) => abc[b % abc.length]).join('');
}

/** What one request of a row returned, whichever door it went through. */
type Outcome = { door: 'graphql'; r: GqlResult } | { door: 'rest'; r: RestResult };

interface Cell {
  /** Root field of the GraphQL operation (absent for REST). */
  field?: string;
  send(authorization: string): Promise<Outcome>;
  /** The allowed request did what it says. */
  verifyOk(o: Outcome, w: Who): Promise<void> | void;
  /** A refused write left nothing behind (checked as ADMIN). */
  verifyNoEffect?(): Promise<void>;
}

const asCaller = (authorization: string) => ({ authorization });
const gqlCell = async (query: string, variables: Record<string, unknown>, authorization: string): Promise<Outcome> => ({
  door: 'graphql',
  r: await t.gql(query, variables, asCaller(authorization)),
});

/** A fresh request of `row` (fresh objects where the write needs them). */
async function cellFor(row: Row): Promise<Cell> {
  switch (row) {
    case 'me':
      return {
        field: 'me',
        send: (a) => gqlCell(`{ me { id kind role authSource credentialId } }`, {}, a),
        verifyOk: (o, w) => {
          expect(gqlData(o).me).toEqual({ id: w.id, kind: 'service_account', role: w.role, authSource: 'api_key', credentialId: w.credentialId });
        },
      };
    case 'objects':
      return {
        field: 'objects',
        send: (a) => gqlCell(`{ objects(first: 1) { nodes { id } } }`, {}, a),
        verifyOk: (o) => {
          expect(gqlData(o).objects.nodes).toHaveLength(1);
        },
      };
    case 'createObject': {
      const externalId = unique('MX');
      return {
        field: 'createObject',
        send: (a) =>
          gqlCell(`mutation($input: CreateObjectInput!) { createObject(input: $input) { id externalId template { code } } }`, { input: { templateCode: SAMPLE, externalId } }, a),
        verifyOk: (o) => {
          expect(gqlData(o).createObject).toMatchObject({ externalId, template: { code: SAMPLE } });
        },
        verifyNoEffect: async () => {
          const found = ok(await t.gql(`query($x: String!) { objects(filter: { externalId: $x }) { nodes { id } } }`, { x: externalId }));
          expect(found.objects.nodes).toEqual([]);
        },
      };
    }
    case 'linkLineage': {
      const parentEuid = await create(t, { templateCode: SAMPLE });
      const childEuid = await create(t, { templateCode: SAMPLE });
      return {
        field: 'linkLineage',
        send: (a) =>
          gqlCell(`mutation($input: LinkLineageInput!) { linkLineage(input: $input) { id parentEuid childEuid } }`, { input: { parentEuid, childEuid } }, a),
        verifyOk: (o) => {
          expect(gqlData(o).linkLineage).toMatchObject({ parentEuid, childEuid, id: expect.stringMatching(/^EDG-/) });
        },
        verifyNoEffect: async () => {
          const r = ok(await t.gql(`query($e: ID!) { object(euid: $e) { children { id } } }`, { e: parentEuid }));
          expect(r.object.children).toEqual([]);
        },
      };
    }
    case 'serviceAccounts':
      return {
        field: 'serviceAccounts',
        send: (a) => gqlCell(`{ serviceAccounts { id role } }`, {}, a),
        verifyOk: (o) => {
          expect(gqlData(o).serviceAccounts).toContainEqual({ id: accounts.ro.id, role: 'READ_ONLY' });
        },
      };
    case 'auditLog':
      return {
        field: 'auditLog',
        send: (a) => gqlCell(`{ auditLog(first: 1) { nodes { id operation } } }`, {}, a),
        verifyOk: (o) => {
          const nodes = gqlData(o).auditLog.nodes;
          expect(nodes).toHaveLength(1);
          expect(nodes[0].id).toMatch(/^ADT-/);
        },
      };
    case 'createApiKey': {
      const name = unique('matrix-key');
      return {
        field: 'createApiKey',
        send: (a) =>
          gqlCell(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { token key { id name accountId } } }`, { input: { accountId: target.id, name } }, a),
        verifyOk: (o) => {
          const c = gqlData(o).createApiKey;
          expect(c.key).toMatchObject({ name, accountId: target.id });
          expect(c.token.startsWith(`${c.key.id}.`)).toBe(true);
        },
        verifyNoEffect: async () => {
          const r = ok(await t.gql(`query($a: ID) { apiKeys(accountId: $a) { name } }`, { a: target.id }));
          expect(r.apiKeys.map((k: { name: string }) => k.name)).not.toContain(name);
        },
      };
    }
    case 'REST GET /api/v1/auth/me':
      return {
        send: async (a) => ({ door: 'rest', r: await restGet(t.url, '/api/v1/auth/me', a) }),
        verifyOk: (o, w) => {
          if (o.door !== 'rest') throw new Error('expected REST');
          expect(o.r.body).toMatchObject({ id: w.id, kind: 'service_account', role: w.role, auth_source: 'api_key', token_id: w.credentialId });
        },
      };
  }
}

function gqlData(o: Outcome): Record<string, any> {
  if (o.door !== 'graphql') throw new Error('expected GraphQL');
  return ok(o.r);
}

function assertUnauthenticated(o: Outcome, detail: string | undefined): void {
  expect(o.r.status).toBe(401);
  expect(o.r.headers.get('www-authenticate')).toBe('Bearer');
  if (o.door === 'graphql') {
    expect(o.r.data ?? null).toBeNull();
    expect(o.r.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', detail });
  } else {
    expect(o.r.body.detail).toBe(detail);
  }
}

function assertForbidden(o: Outcome, field: string | undefined, detail: string): void {
  if (o.door === 'graphql') {
    expect(o.r.status).toBe(200);
    expect(o.r.errors).toHaveLength(1);
    expect(o.r.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', detail });
    expect(o.r.data?.[field!] ?? null).toBeNull();
  } else {
    expect(o.r.status).toBe(403);
    expect(o.r.body.detail).toBe(detail);
  }
}

const CELLS = ROWS.flatMap((row) => COLUMNS.map((column) => ({ row, column, expected: EXPECTED[row][column] })));

describe('auth matrix', () => {
  it('covers every row × column', () => {
    expect(CELLS).toHaveLength(ROWS.length * COLUMNS.length);
    for (const row of ROWS) expect(Object.keys(EXPECTED[row]).sort()).toEqual([...COLUMNS].sort());
  });

  it.each(CELLS)('$row × $column → $expected', async ({ row, column, expected }) => {
    for (const v of variants[column]) {
      const cell = await cellFor(row);
      const o = await cell.send(v.authorization);
      if (expected === 'OK') {
        expect(o.r.status, v.label).toBe(200);
        await cell.verifyOk(o, who[column]!);
      } else if (expected === 'UNAUTHENTICATED') {
        assertUnauthenticated(o, v.unauthDetail);
        await cell.verifyNoEffect?.();
      } else {
        assertForbidden(o, cell.field, expected.slice('FORBIDDEN:'.length));
        await cell.verifyNoEffect?.();
      }
    }
  });
});

describe('credentials outside the Authorization header', () => {
  async function postGraphql(path: string, query: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: any; errors?: { extensions?: Record<string, unknown> }[] } };
  }

  it('does not accept a credential in the query string on either door', async () => {
    // the same credentials work in the header…
    expect((await postGraphql('/graphql', '{ me { id } }', bearer(keys.rw.token))).body.data.me.id).toBe(accounts.rw.id);
    expect((await restGet(t.url, '/api/v1/auth/me', `Bearer ${keys.rw.token}`)).status).toBe(200);

    // …and nowhere else
    for (const secret of [keys.rw.token, ADMIN_KEY]) {
      const enc = encodeURIComponent(secret);
      for (const path of [`/graphql?access_token=${enc}`, `/graphql?token=${enc}`]) {
        const r = await postGraphql(path, '{ me { id } }');
        expect(r.status, path).toBe(401);
        expect(r.headers.get('www-authenticate')).toBe('Bearer');
        expect(r.body.data ?? null).toBeNull();
        expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'missing_credentials' });
      }
      const get = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ me { id } }')}&access_token=${enc}`, { headers: { accept: 'application/json' } });
      expect(get.status).toBe(401);
      expect(get.headers.get('www-authenticate')).toBe('Bearer');

      for (const path of [`/api/v1/auth/me?token=${enc}`, `/api/v1/auth/me?access_token=${enc}`]) {
        const r = await restGet(t.url, path);
        expect(r.status, path).toBe(401);
        expect(r.headers.get('www-authenticate')).toBe('Bearer');
        expect(r.body.detail).toBe('missing_credentials');
        expect(r.body.id).toBeUndefined();
      }
    }
  });
});

describe('me', () => {
  const ME = `{ me { id kind name role roles groups permissions scopes authSource credentialId tokenScope } }`;

  it('reports a scoped key exactly: permissions are role ∩ scopes', async () => {
    const me = ok(await t.gql(ME, {}, bearer(keys.scoped.token))).me;
    expect(me).toEqual({
      id: accounts.rw.id,
      kind: 'service_account',
      name: accounts.rw.name,
      role: 'READ_WRITE',
      roles: ['READ_WRITE'],
      groups: ['API_ACCESS'],
      permissions: ['objects:read'],
      scopes: ['objects:read'],
      authSource: 'api_key',
      credentialId: keys.scoped.id,
      tokenScope: null,
    });
    // the credential id is the public half of the token, never the secret
    expect(keys.scoped.id).toMatch(/^lgk_[A-Za-z0-9]{12}$/);
    expect(keys.scoped.token.startsWith(`${keys.scoped.id}.`)).toBe(true);
    expect(JSON.stringify(me)).not.toContain(keys.scoped.token.split('.')[1]);

    const rest = await restGet(t.url, '/api/v1/auth/me', `Bearer ${keys.scoped.token}`);
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({
      id: accounts.rw.id,
      kind: 'service_account',
      role: 'READ_WRITE',
      groups: ['API_ACCESS'],
      permissions: ['objects:read'],
      auth_source: 'api_key',
      token_id: keys.scoped.id,
    });
  });

  it('caps scopes wider than the role at the role', async () => {
    const wide = await mintKey(t, accounts.ro.id, ['objects:read', 'objects:write', 'lineage:read', 'accounts:admin']);
    const me = ok(await t.gql(ME, {}, bearer(wide.token))).me;
    expect(me).toMatchObject({ id: accounts.ro.id, role: 'READ_ONLY', groups: ['API_ACCESS'], authSource: 'api_key', credentialId: wide.id });
    expect([...me.permissions].sort()).toEqual(['lineage:read', 'objects:read']);
    // the scope the role lacks grants nothing
    const w = await t.gql(`mutation { createObject(input: { templateCode: "${SAMPLE}" }) { id } }`, {}, bearer(wide.token));
    expect(w.status).toBe(200);
    expect(w.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', detail: 'role_missing' });
    const a = await t.gql(`{ serviceAccounts { id } }`, {}, bearer(wide.token));
    expect(a.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', detail: 'role_missing' });
  });

  it('reports an unscoped key with its role’s full permissions', async () => {
    const me = ok(await t.gql(ME, {}, bearer(keys.rw.token))).me;
    expect(me).toMatchObject({ id: accounts.rw.id, role: 'READ_WRITE', authSource: 'api_key', credentialId: keys.rw.id });
    expect([...me.permissions].sort()).toEqual(['lineage:read', 'lineage:write', 'objects:read', 'objects:write', 'tokens:self']);
  });
});
