// JWTs from an identity provider, signed with jose in the test: HS256 with a shared
// secret, RS256/ES256 from a local JWKS endpoint, and a JWT user minting their own
// Bloom-style user token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { ok, startTestGateway, type GqlResult, type TestGateway } from '../helpers/gateway.js';
import { GDNA } from '../helpers/fixtures.js';
import { bearer, firstError, mintUserToken, redisEnv } from '../helpers/jwtAuth.js';

const ISSUER = 'https://idp.test.example/realms/lab';
const AUDIENCE = 'labgraph-api';
const SECRET = 'jwt-test-shared-secret-0123456789-abcdefghij';
const secretKey = new TextEncoder().encode(SECRET);

const ME = `{ me { id kind name role roles groups permissions scopes authSource credentialId tokenScope } }`;
const CREATE = `mutation($input: CreateObjectInput!) { createObject(input: $input) { id } }`;
const OBJECTS = `{ objects(first: 1) { nodes { id } } }`;

interface SignOpts {
  alg?: string;
  kid?: string;
  sub?: string | null;
  iss?: string;
  aud?: string;
  /** Seconds since the epoch; null = no exp claim. */
  exp?: number | null;
}

const now = () => Math.floor(Date.now() / 1000);

async function sign(claims: JWTPayload, key: CryptoKey | Uint8Array, opts: SignOpts = {}): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'HS256', ...(opts.kid ? { kid: opts.kid } : {}), typ: 'JWT' })
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt();
  if (opts.sub !== null) jwt.setSubject(opts.sub ?? 'user-sub-1');
  if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? now() + 600);
  return jwt.sign(key);
}

/** The GraphQL request was refused before execution: HTTP 401, UNAUTHENTICATED, WWW-Authenticate: Bearer. */
function expectUnauthenticated(r: GqlResult<unknown>): void {
  expect(r.status).toBe(401);
  expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(r.headers.get('www-authenticate')).toBe('Bearer');
  expect(r.data ?? null).toBeNull();
}

describe('JWT with a shared secret (HS256)', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ env: { ...redisEnv(), JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('resolves a valid token to a jwt user with the role and groups of its claims (plus JWT_DEFAULT_GROUPS)', async () => {
    const token = await sign({ role: 'READ_WRITE', groups: ['bloom-rnd', 'ENABLE_ATLAS_API'], name: 'Ada Lovelace', jti: 'jti-42' }, secretKey, { sub: 'ada-sub-1' });
    const me = ok(await t.gql(ME, {}, bearer(token))).me;
    expect(me).toMatchObject({ id: 'ada-sub-1', kind: 'user', authSource: 'jwt', role: 'READ_WRITE', roles: ['READ_WRITE'], scopes: null, tokenScope: null });
    expect([...me.groups].sort()).toEqual(['API_ACCESS', 'ENABLE_ATLAS_API', 'bloom-rnd']);
    expect(me.permissions).toEqual(expect.arrayContaining(['objects:read', 'objects:write', 'lineage:write']));
    expect(me.permissions).not.toContain('accounts:admin');
  });

  it('lets a READ_WRITE jwt user create an object, recorded in the audit log under their subject', async () => {
    const token = await sign({ role: 'READ_WRITE', groups: [] }, secretKey, { sub: 'writer-sub-7' });
    const id = ok(await t.gql<{ createObject: { id: string } }>(CREATE, { input: { templateCode: GDNA } }, bearer(token))).createObject.id;
    expect(id).toMatch(/^BCT-/);
    const audit = ok(await t.gql(`query($e: String!) { auditLog(filter: { entityEuid: $e }) { nodes { actorId actorKind operation } } }`, { e: id }));
    expect(audit.auditLog.nodes).toEqual([{ actorId: 'writer-sub-7', actorKind: 'user', operation: 'createObject' }]);
  });

  it('derives the role from Bloom role groups when there is no role claim (bloom-admin → ADMIN)', async () => {
    const token = await sign({ groups: ['bloom-admin'] }, secretKey, { sub: 'bloom-admin-sub' });
    const me = ok(await t.gql(ME, {}, bearer(token))).me;
    expect(me.role).toBe('ADMIN');
    expect(me.groups).toEqual(expect.arrayContaining(['bloom-admin', 'API_ACCESS']));
    // ADMIN for real: an accounts:admin query answers.
    expect(ok(await t.gql(`{ users { id } }`, {}, bearer(token))).users).toEqual(expect.any(Array));

    const ro = await sign({ groups: 'bloom-readonly' }, secretKey, { sub: 'bloom-ro-sub' });
    expect(ok(await t.gql(ME, {}, bearer(ro))).me.role).toBe('READ_ONLY');
    const write = await t.gql(CREATE, { input: { templateCode: GDNA } }, bearer(ro));
    expect(firstError(write)).toEqual({ code: 'FORBIDDEN', detail: 'role_missing' });
  });

  it('authenticates a token without any role, but refuses it every permission with FORBIDDEN role_missing', async () => {
    const token = await sign({ groups: ['bloom-rnd'] }, secretKey, { sub: 'no-role-sub' });
    const me = ok(await t.gql(ME, {}, bearer(token))).me;
    expect(me).toMatchObject({ id: 'no-role-sub', authSource: 'jwt', role: null, roles: [], permissions: [] });
    const r = await t.gql(OBJECTS, {}, bearer(token));
    expect(firstError(r)).toEqual({ code: 'FORBIDDEN', detail: 'role_missing' });
    expect(r.data?.objects ?? null).toBeNull();
  });

  describe('rejects with 401 UNAUTHENTICATED', () => {
    const claims = { role: 'ADMIN', groups: ['bloom-admin'] };

    it('a valid control token passes (so the refusals below are about the defect alone)', async () => {
      const token = await sign(claims, secretKey);
      expect(ok(await t.gql(OBJECTS, {}, bearer(token))).objects.nodes).toEqual(expect.any(Array));
    });

    it.each<[string, () => Promise<string>]>([
      ['an expired token', () => sign(claims, secretKey, { exp: now() - 3600 })],
      ['a wrong audience', () => sign(claims, secretKey, { aud: 'some-other-api' })],
      ['a wrong issuer', () => sign(claims, secretKey, { iss: 'https://evil.example/' })],
      ['a token signed with another secret', () => sign(claims, new TextEncoder().encode('another-secret-of-enough-length-0123456789'))],
      ['a token without exp', () => sign(claims, secretKey, { exp: null })],
      ['a token without sub', () => sign(claims, secretKey, { sub: null })],
      [
        'alg: none (unsecured JWT)',
        async () => new UnsecuredJWT(claims).setSubject('user-sub-1').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime(now() + 600).encode(),
      ],
    ])('%s', async (_label, make) => {
      const token = await make();
      expectUnauthenticated(await t.gql(OBJECTS, {}, bearer(token)));
      expectUnauthenticated(await t.gql(ME, {}, bearer(token)));
    });

    it('a tampered payload (role raised after signing)', async () => {
      const token = await sign({ role: 'READ_ONLY' }, secretKey, { sub: 'tamper-sub' });
      expect(ok(await t.gql(ME, {}, bearer(token))).me.role).toBe('READ_ONLY');
      const [h, p, s] = token.split('.');
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, role: 'ADMIN' })).toString('base64url')}.${s}`;
      expectUnauthenticated(await t.gql(ME, {}, bearer(forged)));
      expectUnauthenticated(await t.gql(`{ users { id } }`, {}, bearer(forged)));
    });

    it('a tampered signature', async () => {
      const token = await sign(claims, secretKey);
      const [h, p, s] = token.split('.');
      // Change a character in the middle: every bit there is significant.
      const i = Math.floor(s.length / 2);
      const forged = `${h}.${p}.${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
      expectUnauthenticated(await t.gql(ME, {}, bearer(forged)));
      // And no signature at all.
      expectUnauthenticated(await t.gql(ME, {}, bearer(`${h}.${p}.`)));
    });

    it('the same refusal on the REST door, with WWW-Authenticate: Bearer', async () => {
      const token = await sign(claims, secretKey, { exp: now() - 3600 });
      const res = await fetch(`${t.url}/api/v1/auth/me`, { headers: bearer(token) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const good = await fetch(`${t.url}/api/v1/auth/me`, { headers: bearer(await sign(claims, secretKey, { sub: 'rest-sub' })) });
      expect(good.status).toBe(200);
      expect(await good.json()).toMatchObject({ id: 'rest-sub', auth_source: 'jwt', role: 'ADMIN' });
    });
  });

  describe('a JWT user mints their own user token', () => {
    const sub = 'grace-sub-9';
    let jwt: string;
    beforeAll(async () => {
      jwt = await sign({ role: 'READ_WRITE', groups: ['bloom-rnd'], name: 'Grace Hopper', email: 'grace@lab.test' }, secretKey, { sub });
    });

    it('createUserToken without userId returns a blm_ secret that authenticates as the same user', async () => {
      const tok = await mintUserToken(t, { name: 'cli', scope: 'internal_rw' }, bearer(jwt));
      expect(tok.secret).toMatch(/^blm_[0-9a-f]{64}$/);
      expect(tok.id).toMatch(/^tok_[0-9a-f]{32}$/);
      expect(tok).toMatchObject({ scope: 'internal_rw', status: 'ACTIVE' });

      const me = ok(await t.gql(ME, {}, bearer(tok.secret))).me;
      expect(me).toMatchObject({ id: sub, kind: 'user', authSource: 'user_token', tokenScope: 'internal_rw', role: 'READ_WRITE', credentialId: tok.id });
      expect(me.groups).toEqual(expect.arrayContaining(['API_ACCESS', 'bloom-rnd']));

      // The token works for writes within its scope.
      const id = ok(await t.gql<{ createObject: { id: string } }>(CREATE, { input: { templateCode: GDNA } }, bearer(tok.secret))).createObject.id;
      expect(id).toMatch(/^BCT-/);

      // The JWT user sees the token among their own.
      const mine = ok(await t.gql(`{ userTokens { id scope status } }`, {}, bearer(jwt))).userTokens;
      expect(mine).toEqual(expect.arrayContaining([{ id: tok.id, scope: 'internal_rw', status: 'ACTIVE' }]));
    });

    it('the token scope caps the role: internal_ro on a READ_WRITE user reads but cannot write (FORBIDDEN role_missing)', async () => {
      const tok = await mintUserToken(t, { name: 'read-only', scope: 'internal_ro' }, bearer(jwt));
      const me = ok(await t.gql(ME, {}, bearer(tok.secret))).me;
      expect(me).toMatchObject({ id: sub, authSource: 'user_token', tokenScope: 'internal_ro', role: 'READ_ONLY' });
      expect(me.permissions).not.toContain('objects:write');

      expect(ok(await t.gql(OBJECTS, {}, bearer(tok.secret))).objects.nodes).toEqual(expect.any(Array));
      const r = await t.gql(CREATE, { input: { templateCode: GDNA } }, bearer(tok.secret));
      expect(firstError(r)).toEqual({ code: 'FORBIDDEN', detail: 'role_missing' });
      expect(r.data?.createObject ?? null).toBeNull();
      // The JWT itself still writes: the cap is the token's, not the user's.
      expect(ok(await t.gql(CREATE, { input: { templateCode: GDNA } }, bearer(jwt))).createObject.id).toMatch(/^BCT-/);
    });
  });
});

describe('JWT verified against a JWKS URL (RS256, ES256)', () => {
  let t: TestGateway;
  let jwks: Server;
  let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
  let ec: { privateKey: CryptoKey; publicKey: CryptoKey };
  let jwksHits = 0;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-key-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-key-1', alg: 'ES256', use: 'sig' },
    ];
    jwks = createServer((req, res) => {
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      jwksHits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    t = await startTestGateway({
      env: { ...redisEnv(), JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE },
    });
  });
  afterAll(async () => {
    await t?.close();
    if (jwks) {
      jwks.closeAllConnections();
      await new Promise<void>((resolve) => jwks.close(() => resolve()));
    }
  });

  it('verifies a token signed by the RS256 key of the JWKS', async () => {
    const token = await sign({ role: 'READ_WRITE', groups: ['bloom-clinical'] }, rsa.privateKey, { alg: 'RS256', kid: 'rsa-key-1', sub: 'rsa-user' });
    const me = ok(await t.gql(ME, {}, bearer(token))).me;
    expect(me).toMatchObject({ id: 'rsa-user', kind: 'user', authSource: 'jwt', role: 'READ_WRITE' });
    expect(me.groups).toEqual(expect.arrayContaining(['API_ACCESS', 'bloom-clinical']));
    expect(jwksHits).toBeGreaterThan(0);
    expect(ok(await t.gql(CREATE, { input: { templateCode: GDNA } }, bearer(token))).createObject.id).toMatch(/^BCT-/);
  });

  it('verifies a token signed by the ES256 key of the JWKS', async () => {
    const token = await sign({ role: 'READ_ONLY' }, ec.privateKey, { alg: 'ES256', kid: 'ec-key-1', sub: 'ec-user' });
    expect(ok(await t.gql(ME, {}, bearer(token))).me).toMatchObject({ id: 'ec-user', authSource: 'jwt', role: 'READ_ONLY' });
  });

  it('rejects (401) a token signed by a key that is not in the JWKS, under a known or an unknown kid', async () => {
    const rogue = await generateKeyPair('RS256');
    const claims = { role: 'ADMIN' };
    expectUnauthenticated(await t.gql(ME, {}, bearer(await sign(claims, rogue.privateKey, { alg: 'RS256', kid: 'rsa-key-1' }))));
    expectUnauthenticated(await t.gql(ME, {}, bearer(await sign(claims, rogue.privateKey, { alg: 'RS256', kid: 'rogue-key' }))));
    const rogueEc = await generateKeyPair('ES256');
    expectUnauthenticated(await t.gql(ME, {}, bearer(await sign(claims, rogueEc.privateKey, { alg: 'ES256', kid: 'ec-key-1' }))));
  });

  it('rejects (401) HMAC/RSA confusion: HS256 signed with the RSA public key as the secret', async () => {
    const pem = await exportSPKI(rsa.publicKey);
    const claims = { role: 'ADMIN', groups: ['bloom-admin'] };
    const confused = await sign(claims, new TextEncoder().encode(pem), { alg: 'HS256', kid: 'rsa-key-1' });
    expectUnauthenticated(await t.gql(ME, {}, bearer(confused)));
    expectUnauthenticated(await t.gql(`{ users { id } }`, {}, bearer(confused)));
    // Also without a kid, and with the PEM's trailing newline trimmed.
    expectUnauthenticated(await t.gql(ME, {}, bearer(await sign(claims, new TextEncoder().encode(pem.trim()), { alg: 'HS256' }))));
  });

  it('rejects (401) alg: none and a wrong audience with a JWKS too', async () => {
    const none = new UnsecuredJWT({ role: 'ADMIN' }).setSubject('x').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime(now() + 600).encode();
    expectUnauthenticated(await t.gql(ME, {}, bearer(none)));
    const aud = await sign({ role: 'ADMIN' }, rsa.privateKey, { alg: 'RS256', kid: 'rsa-key-1', aud: 'other' });
    expectUnauthenticated(await t.gql(ME, {}, bearer(aud)));
  });
});
