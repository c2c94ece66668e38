// Idempotency-Key on both doors (issue 4, bioAF §5 "our contract"), over real HTTP:
// exactly once under races, byte-for-byte replays that survive a restart, 422 on a
// reused key, 409 while in flight, failures that do not consume the key, expiry,
// lease takeover after a dead process, and no minted secret ever stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { freshDatabase, usingPostgres } from '../helpers/db.js';
import { pollUntil } from '../helpers/jwtAuth.js';
import { GDNA, SAMPLE, create } from '../helpers/fixtures.js';
import { bearer, createAccount, createKey, mintKey } from '../helpers/auditAccounts.js';
import {
  auditFor,
  gqlRaw,
  holdTableLock,
  idemRedisEnv,
  idemRows,
  settledIdemRows,
  newKey,
  objectsNamed,
  objectsWithExternalId,
  ONE_CONTENT_CREATE,
  outboxFor,
  postWithRawKey,
  restCreate,
  send,
  totals,
  uid,
  type RawResult,
} from '../helpers/idempotency.js';
import { sweepIdempotencyKeys } from '../../src/idempotency/claim.js';

const CREATE = `mutation Create($input: CreateObjectInput!) {
  createObject(input: $input) { id euid name externalId status createdAt properties template { code } }
}`;

const createBody = (input: Record<string, unknown>) => ({ query: CREATE, variables: { input } });

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ env: idemRedisEnv() });
});
afterAll(async () => {
  await t?.close();
});

/** The first GraphQL error code of a raw response. */
const codeOf = (r: RawResult): string | undefined => r.json?.errors?.[0]?.extensions?.code;
const detailOf = (r: RawResult): string | undefined => r.json?.errors?.[0]?.extensions?.detail;
const created = (r: RawResult): { id: string; name: string; externalId: string | null } => {
  expect(r.json?.errors, r.text).toBeUndefined();
  expect(r.status).toBe(200);
  return r.json.data.createObject;
};

describe('200 concurrent identical requests with one key', () => {
  it('GraphQL: exactly one object, one audit row, one outbox event; the rest replay the original or are 409 in flight', async () => {
    const key = newKey('race-gql');
    const externalId = uid('race-gql');
    const body = JSON.stringify(createBody({ templateCode: GDNA, name: 'race gql', externalId, properties: { volume_ul: 10 } }));

    const results = await Promise.all(Array.from({ length: 200 }, () => gqlRaw(t, body, key)));

    expect(results.filter((r) => r.status >= 500).map((r) => r.text)).toEqual([]);
    const successes = results.filter((r) => r.status === 200 && r.json?.data?.createObject);
    const originals = successes.filter((r) => !r.replayed);
    expect(originals).toHaveLength(1);
    const original = originals[0];
    for (const r of successes) expect(r.text).toBe(original.text);
    for (const r of results.filter((x) => !successes.includes(x))) {
      expect([200, 409]).toContain(r.status);
      expect(codeOf(r), r.text).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
      expect(detailOf(r)).toBe('idempotency_key_in_flight');
      if (r.status === 409) expect(r.headers.get('retry-after')).toBe('1');
    }

    const euid = created(original).id;
    expect(await objectsWithExternalId(t, externalId)).toBe(1);
    expect(await auditFor(t, euid)).toHaveLength(1);
    expect(await outboxFor(t, euid)).toEqual(ONE_CONTENT_CREATE);

    // Once settled, the key replays the original for good.
    const after = await gqlRaw(t, body, key);
    expect(after.status).toBe(200);
    expect(after.replayed).toBe(true);
    expect(after.text).toBe(original.text);
    const [row] = await idemRows(t, key);
    expect(row).toMatchObject({ state: 'completed', status: 200, body: original.text });
  });

  it('REST POST /api/v1/objects/: exactly one object, one audit row, one outbox event; the rest replay or are 409 in flight', async () => {
    const key = newKey('race-rest');
    const name = uid('race rest');
    const body = JSON.stringify({ name, type: 'sample', subtype: 'gdna' });

    const results = await Promise.all(Array.from({ length: 200 }, () => restCreate(t, body, key)));

    expect(results.filter((r) => r.status >= 500).map((r) => r.text)).toEqual([]);
    const successes = results.filter((r) => r.status === 200);
    const originals = successes.filter((r) => !r.replayed);
    expect(originals).toHaveLength(1);
    const original = originals[0];
    expect(original.json).toMatchObject({ success: true, message: 'Object created successfully' });
    for (const r of successes) expect(r.text).toBe(original.text);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status, r.text).toBe(409);
      expect(r.json).toMatchObject({ detail: 'idempotency_key_in_flight' });
      expect(r.headers.get('retry-after')).toBe('1');
    }

    const euid: string = original.json.euid;
    expect(euid).toMatch(/^BCT-/);
    expect(await objectsNamed(t, name)).toBe(1);
    expect(await auditFor(t, euid)).toHaveLength(1);
    expect(await outboxFor(t, euid)).toEqual(ONE_CONTENT_CREATE);

    const after = await restCreate(t, body, key);
    expect(after.status).toBe(200);
    expect(after.replayed).toBe(true);
    expect(after.text).toBe(original.text);
  });
});

describe('sequential replay', () => {
  it('GraphQL: the second identical request replays the exact body with Idempotency-Replayed: true and writes nothing', async () => {
    const key = newKey('seq-gql');
    const externalId = uid('seq-gql');
    const first = await gqlRaw(t, createBody({ templateCode: GDNA, name: 'seq', externalId, properties: { volume_ul: 5 } }), key);
    const obj = created(first);
    expect(first.replayed).toBe(false);
    expect(first.headers.get('idempotency-replayed')).toBeNull();

    const before = await totals(t);
    const second = await gqlRaw(t, createBody({ templateCode: GDNA, name: 'seq', externalId, properties: { volume_ul: 5 } }), key);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotency-replayed')).toBe('true');
    expect(second.text).toBe(first.text);
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(await totals(t)).toEqual(before);
    expect(await objectsWithExternalId(t, externalId)).toBe(1);
    expect(await auditFor(t, obj.id)).toHaveLength(1);
    expect(await outboxFor(t, obj.id)).toEqual(ONE_CONTENT_CREATE);
    // …which is exactly what one unkeyed create emits.
    expect(await outboxFor(t, await create(t, { templateCode: GDNA }))).toEqual(ONE_CONTENT_CREATE);
  });

  it('GraphQL: key order in the body and the variables and insignificant whitespace do not change the fingerprint', async () => {
    const key = newKey('order-gql');
    const externalId = uid('order-gql');
    const first = await gqlRaw(
      t,
      JSON.stringify({ query: CREATE, variables: { input: { templateCode: GDNA, name: 'order', externalId, properties: { volume_ul: 1, concentration_ng_ul: 2 } } } }),
      key,
    );
    created(first);
    const before = await totals(t);
    const reordered = await gqlRaw(
      t,
      JSON.stringify({
        variables: { input: { properties: { concentration_ng_ul: 2, volume_ul: 1 }, externalId, name: 'order', templateCode: GDNA } },
        query: CREATE.replace(/\s+/g, '  '),
      }),
      key,
    );
    expect(reordered.status).toBe(200);
    expect(reordered.replayed).toBe(true);
    expect(reordered.text).toBe(first.text);
    expect(await totals(t)).toEqual(before);
  });

  it('REST: the second identical POST (keys in another order) replays the exact body and writes nothing', async () => {
    const key = newKey('seq-rest');
    const name = uid('seq rest');
    const first = await restCreate(t, `{"name":"${name}","type":"sample","subtype":"gdna"}`, key);
    expect(first.status).toBe(200);
    expect(first.replayed).toBe(false);
    const euid: string = first.json.euid;

    const before = await totals(t);
    const second = await restCreate(t, `{ "subtype": "gdna", "type": "sample", "name": "${name}" }`, key);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotency-replayed')).toBe('true');
    expect(second.text).toBe(first.text);
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(await totals(t)).toEqual(before);
    expect(await objectsNamed(t, name)).toBe(1);
    expect(await auditFor(t, euid)).toHaveLength(1);
    expect(await outboxFor(t, euid)).toEqual(ONE_CONTENT_CREATE);
  });

  // bioAF §5: the fingerprint is taken over the *validated* body model (defaults filled in,
  // unknown fields dropped), so these variants are the same request as the original.
  it.each([
    ['an unknown extra field', { unknown_field: 'ignored' }],
    ['an explicitly given default (category: instance)', { category: 'instance' }],
  ])('REST: the fingerprint covers the validated body: %s does not change it (bioAF §5)', async (_label, change) => {
    const key = newKey('validated');
    const name = uid('validated');
    const first = await restCreate(t, { name, type: 'sample', subtype: 'gdna' }, key);
    expect(first.status).toBe(200);
    const before = await totals(t);
    const r = await restCreate(t, { name, type: 'sample', subtype: 'gdna', ...change }, key);
    expect(r.status, r.text).toBe(200);
    expect(r.replayed).toBe(true);
    expect(r.text).toBe(first.text);
    expect(await totals(t)).toEqual(before);
  });

  it('GraphQL: explicit nulls for optional input fields do not change the fingerprint', async () => {
    const key = newKey('nulls');
    const name = uid('nulls');
    const first = await gqlRaw(t, createBody({ templateCode: GDNA, name }), key);
    created(first);
    const withNulls = await gqlRaw(t, createBody({ templateCode: GDNA, name, externalId: null, barcode: null, status: null }), key);
    expect(withNulls.status).toBe(200);
    expect(withNulls.replayed).toBe(true);
    expect(withNulls.text).toBe(first.text);
    expect(await objectsNamed(t, name)).toBe(1);
  });

  it('REST PUT and DELETE take a key too: a replayed update or delete changes nothing', async () => {
    const euid = await create(t, { templateCode: GDNA, name: uid('put') });
    const putKey = newKey('put');
    const put = await send(t, 'PUT', `/api/v1/objects/${euid}`, { name: 'renamed once' }, { 'idempotency-key': putKey });
    expect(put.status).toBe(200);
    expect(put.replayed).toBe(false);
    const audit1 = (await auditFor(t, euid)).length;
    const putAgain = await send(t, 'PUT', `/api/v1/objects/${euid}`, { name: 'renamed once' }, { 'idempotency-key': putKey });
    expect(putAgain.status).toBe(200);
    expect(putAgain.replayed).toBe(true);
    expect(putAgain.text).toBe(put.text);
    expect(await auditFor(t, euid)).toHaveLength(audit1);

    const delKey = newKey('del');
    const del = await send(t, 'DELETE', `/api/v1/objects/${euid}`, undefined, { 'idempotency-key': delKey });
    expect(del.status).toBe(200);
    const delAgain = await send(t, 'DELETE', `/api/v1/objects/${euid}`, undefined, { 'idempotency-key': delKey });
    expect(delAgain.status).toBe(200);
    expect(delAgain.replayed).toBe(true);
    expect(delAgain.text).toBe(del.text);
    expect(await auditFor(t, euid)).toHaveLength(audit1 + 1);
  });
});

describe('same key, different request', () => {
  it('GraphQL: a different body is 422 IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    const key = newKey('mismatch-gql');
    created(await gqlRaw(t, createBody({ templateCode: GDNA, name: 'mismatch A' }), key));
    const before = await totals(t);

    const other = await gqlRaw(t, createBody({ templateCode: GDNA, name: 'mismatch B' }), key);
    expect(other.status).toBe(422);
    expect(codeOf(other)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(detailOf(other)).toBe('idempotency_key_reused_with_different_body');
    expect(other.replayed).toBe(false);

    // Another mutation, and the same key on the other door, are different requests too.
    const otherOp = await gqlRaw(t, { query: `mutation { createServiceAccount(input: { name: "${uid('acct')}", role: "READ_ONLY" }) { id } }` }, key);
    expect(otherOp.status).toBe(422);
    expect(codeOf(otherOp)).toBe('IDEMPOTENCY_KEY_REUSED');
    const otherDoor = await restCreate(t, { name: 'mismatch A', type: 'sample', subtype: 'gdna' }, key);
    expect(otherDoor.status).toBe(422);
    expect(otherDoor.json).toMatchObject({ detail: 'idempotency_key_reused_with_different_body' });
    expect(await totals(t)).toEqual(before);
  });

  it('REST: a different body is 422 idempotency_key_reused_with_different_body and writes nothing', async () => {
    const key = newKey('mismatch-rest');
    const name = uid('mismatch rest');
    expect((await restCreate(t, { name, type: 'sample', subtype: 'gdna' }, key)).status).toBe(200);
    const before = await totals(t);
    const other = await restCreate(t, { name: `${name} 2`, type: 'sample', subtype: 'gdna' }, key);
    expect(other.status).toBe(422);
    expect(other.json).toMatchObject({ detail: 'idempotency_key_reused_with_different_body' });
    expect(other.replayed).toBe(false);
    expect(await totals(t)).toEqual(before);
    expect(await objectsNamed(t, `${name} 2`)).toBe(0);
  });
});

describe('the key is scoped to the principal', () => {
  it('another principal using the same key and body makes an independent write; each then replays its own', async () => {
    const other = await mintKey(t, { role: 'READ_WRITE' });
    const key = newKey('scope');
    const name = uid('scoped');
    const body = createBody({ templateCode: GDNA, name });

    const mine = await gqlRaw(t, body, key);
    const theirs = await gqlRaw(t, body, key, bearer(other.token));
    const a = created(mine);
    const b = created(theirs);
    expect(theirs.replayed).toBe(false);
    expect(b.id).not.toBe(a.id);
    expect(await objectsNamed(t, name)).toBe(2);
    expect(await auditFor(t, b.id)).toHaveLength(1);
    expect(await outboxFor(t, b.id)).toEqual(ONE_CONTENT_CREATE);
    expect(new Set((await idemRows(t, key)).map((r) => r.principal)).size).toBe(2);

    const mineAgain = await gqlRaw(t, body, key);
    const theirsAgain = await gqlRaw(t, body, key, bearer(other.token));
    expect([mineAgain.replayed, theirsAgain.replayed]).toEqual([true, true]);
    expect(mineAgain.text).toBe(mine.text);
    expect(theirsAgain.text).toBe(theirs.text);

    // REST too.
    const restName = uid('scoped rest');
    const restKey = newKey('scope-rest');
    const r1 = await restCreate(t, { name: restName, type: 'sample', subtype: 'gdna' }, restKey);
    const r2 = await restCreate(t, { name: restName, type: 'sample', subtype: 'gdna' }, restKey, bearer(other.token));
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(r2.replayed).toBe(false);
    expect(r2.json.euid).not.toBe(r1.json.euid);
    expect(await objectsNamed(t, restName)).toBe(2);
  });
});

describe('a failed or refused request does not consume the key', () => {
  it('GraphQL NOT_FOUND (unknown template): the fixed request with the same key runs and is not a replay', async () => {
    const key = newKey('fail-nf');
    const name = uid('fixed');
    const bad = await gqlRaw(t, createBody({ templateCode: 'content/sample/nope/1.0', name }), key);
    expect(codeOf(bad)).toBe('NOT_FOUND');
    expect(bad.status).toBeLessThan(500);
    expect(await idemRows(t, key)).toEqual([]);

    const fixed = await gqlRaw(t, createBody({ templateCode: GDNA, name }), key);
    created(fixed);
    expect(fixed.replayed).toBe(false);
    expect(await objectsNamed(t, name)).toBe(1);
    const again = await gqlRaw(t, createBody({ templateCode: GDNA, name }), key);
    expect(again.replayed).toBe(true);
    expect(again.text).toBe(fixed.text);
  });

  it('GraphQL BAD_USER_INPUT: the same request can be retried after a failure and the fixed one runs', async () => {
    const key = newKey('fail-bui');
    const name = uid('bui');
    const badBody = createBody({ templateCode: GDNA, name, properties: { volume_ul: 'lots' } });
    const bad = await gqlRaw(t, badBody, key);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    // Not cached: the identical retry fails again on its own merits, not as a replay.
    const badAgain = await gqlRaw(t, badBody, key);
    expect(codeOf(badAgain)).toBe('BAD_USER_INPUT');
    expect(badAgain.replayed).toBe(false);
    expect(await idemRows(t, key)).toEqual([]);

    const fixed = await gqlRaw(t, createBody({ templateCode: GDNA, name, properties: { volume_ul: 3 } }), key);
    expect(created(fixed).name).toBe(name);
    expect(fixed.replayed).toBe(false);
  });

  it('GraphQL CONFLICT (external_id_already_exists) is not stored either', async () => {
    const externalId = uid('taken');
    await create(t, { templateCode: GDNA, externalId });
    const key = newKey('fail-conflict');
    const dup = await gqlRaw(t, createBody({ templateCode: GDNA, externalId }), key);
    expect(dup.json.errors[0].extensions).toMatchObject({ code: 'CONFLICT', detail: 'external_id_already_exists' });
    expect(await idemRows(t, key)).toEqual([]);
    const fixed = await gqlRaw(t, createBody({ templateCode: GDNA, externalId: `${externalId}-2` }), key);
    created(fixed);
    expect(fixed.replayed).toBe(false);
  });

  it('GraphQL FORBIDDEN: once the account may write, the same request with the same key runs and is not a replay', async () => {
    const account = await createAccount(t, { name: uid('ro'), role: 'READ_ONLY' });
    // The key's scopes allow the write; the account role caps them at request time.
    const { token } = await createKey(t, account.id, { scopes: ['objects:read', 'objects:write'] });
    const key = newKey('fail-forbidden');
    const name = uid('forbidden');
    const body = createBody({ templateCode: GDNA, name });

    const refused = await gqlRaw(t, body, key, bearer(token));
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(await idemRows(t, key)).toEqual([]);
    expect(await objectsNamed(t, name)).toBe(0);

    ok(await t.gql(`mutation($id: ID!) { updateServiceAccount(id: $id, input: { role: "READ_WRITE" }) { id role } }`, { id: account.id }));
    const allowed = await gqlRaw(t, body, key, bearer(token));
    created(allowed);
    expect(allowed.replayed).toBe(false);
    expect(await objectsNamed(t, name)).toBe(1);
  });

  it('REST: a 422 validation error and a 404 unknown template do not consume the key', async () => {
    const key = newKey('fail-rest');
    const name = uid('rest fixed');
    const invalid = await restCreate(t, { type: 'sample', subtype: 'gdna' }, key);
    expect(invalid.status).toBe(422);
    const unknown = await restCreate(t, { name, type: 'sample', subtype: 'no-such-subtype' }, key);
    expect(unknown.status).toBe(404);
    expect(await idemRows(t, key)).toEqual([]);

    const fixed = await restCreate(t, { name, type: 'sample', subtype: 'gdna' }, key);
    expect(fixed.status).toBe(200);
    expect(fixed.replayed).toBe(false);
    expect(await objectsNamed(t, name)).toBe(1);
  });
});

describe('key validation and where a key applies', () => {
  const invalid: [string, string][] = [
    ['an empty key', ''],
    ['a 256-character key', 'k'.repeat(256)],
    ['a non-ASCII (Latin-1) key', 'clé-1'],
    ['a key with a control character', 'a\tb'],
  ];

  it.each(invalid)('GraphQL refuses %s with 400 BAD_USER_INPUT and writes nothing', async (_label, key) => {
    const name = uid('badkey');
    const r = await gqlRaw(t, createBody({ templateCode: GDNA, name }), key);
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(detailOf(r)).toBe('invalid_idempotency_key');
    expect(await objectsNamed(t, name)).toBe(0);
  });

  it.each(invalid)('REST refuses %s with 400 invalid_idempotency_key and writes nothing', async (_label, key) => {
    const name = uid('badkey rest');
    const r = await restCreate(t, { name, type: 'sample', subtype: 'gdna' }, key);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ detail: 'invalid_idempotency_key' });
    expect(await objectsNamed(t, name)).toBe(0);
  });

  it('refuses a UTF-8 (non-Latin-1) key on both doors', async () => {
    const bytes = Buffer.from('ключ-键', 'utf8');
    const name = uid('utf8key');
    const g = await postWithRawKey(t, '/graphql', JSON.stringify(createBody({ templateCode: GDNA, name })), bytes);
    expect(g.status).toBe(400);
    expect(g.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', detail: 'invalid_idempotency_key' });
    const r = await postWithRawKey(t, '/api/v1/objects/', JSON.stringify({ name, type: 'sample', subtype: 'gdna' }), bytes);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ detail: 'invalid_idempotency_key' });
    expect(await objectsNamed(t, name)).toBe(0);
  });

  it('accepts a 255-character printable ASCII key (spaces and punctuation included)', async () => {
    const key = `${newKey('max')} !~"{}`.padEnd(255, 'x');
    expect(key).toHaveLength(255);
    const name = uid('maxkey');
    const first = await gqlRaw(t, createBody({ templateCode: GDNA, name }), key);
    created(first);
    const again = await gqlRaw(t, createBody({ templateCode: GDNA, name }), key);
    expect(again.replayed).toBe(true);
    expect(again.text).toBe(first.text);
    expect(await objectsNamed(t, name)).toBe(1);
  });

  it('a GraphQL request with a key and two mutation fields is 400 and runs neither', async () => {
    const a = uid('two-a');
    const b = uid('two-b');
    const r = await gqlRaw(
      t,
      { query: `mutation { a: createObject(input: { templateCode: "${GDNA}", name: "${a}" }) { id } b: createObject(input: { templateCode: "${GDNA}", name: "${b}" }) { id } }` },
      newKey('two'),
    );
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(await objectsNamed(t, a)).toBe(0);
    expect(await objectsNamed(t, b)).toBe(0);
  });

  it('a query with a key is simply executed: no claim, no replay', async () => {
    const externalId = uid('q');
    const euid = await create(t, { templateCode: GDNA, externalId });
    const key = newKey('query');
    const q = { query: `query { objectByExternalId(kind: CONTENT, externalId: "${externalId}") { id name } }` };
    const r1 = await gqlRaw(t, q, key);
    expect(r1.status).toBe(200);
    expect(r1.json.data.objectByExternalId.id).toBe(euid);
    expect(r1.replayed).toBe(false);
    ok(await t.gql(`mutation { updateObject(euid: "${euid}", input: { name: "renamed" }) { id } }`));
    const r2 = await gqlRaw(t, q, key);
    expect(r2.replayed).toBe(false);
    expect(r2.json.data.objectByExternalId.name).toBe('renamed');
    expect(await idemRows(t, key)).toEqual([]);
  });

  it('a REST GET with a key is simply executed: no claim, no replay', async () => {
    const euid = await create(t, { templateCode: GDNA, name: uid('get') });
    const key = newKey('get');
    const r1 = await send(t, 'GET', `/api/v1/objects/${euid}`, undefined, { 'idempotency-key': key });
    expect(r1.status).toBe(200);
    expect(r1.json.euid).toBe(euid);
    const r2 = await send(t, 'GET', `/api/v1/objects/${euid}`, undefined, { 'idempotency-key': key });
    expect(r2.replayed).toBe(false);
    expect(await idemRows(t, key)).toEqual([]);
  });

  it('the audit row of a keyed write records the key; an unkeyed write records none', async () => {
    const key = newKey('audited');
    const keyed = created(await gqlRaw(t, createBody({ templateCode: GDNA, name: uid('audited') }), key));
    const [row] = await auditFor(t, keyed.id);
    expect(row).toMatchObject({ operation: 'createObject', entityEuid: keyed.id, idempotencyKey: key });

    const restKey = newKey('audited-rest');
    const rest = await restCreate(t, { name: uid('audited rest'), type: 'sample', subtype: 'gdna' }, restKey);
    expect((await auditFor(t, rest.json.euid))[0].idempotencyKey).toBe(restKey);

    const plain = await create(t, { templateCode: GDNA });
    expect((await auditFor(t, plain))[0].idempotencyKey).toBeNull();
  });
});

describe('replay after a restart', () => {
  it('a new gateway process on the same database replays both doors byte-for-byte', async () => {
    const testDb = await freshDatabase();
    try {
      const env = idemRedisEnv();
      const gKey = newKey('restart-gql');
      const rKey = newKey('restart-rest');
      const externalId = uid('restart');
      const gBody = JSON.stringify(createBody({ templateCode: SAMPLE, name: 'restart', externalId }));
      const rBody = JSON.stringify({ name: uid('restart rest'), type: 'sample', subtype: 'gdna' });

      const g1 = await startTestGateway({ env, testDb });
      let firstG: RawResult;
      let firstR: RawResult;
      try {
        firstG = await gqlRaw(g1, gBody, gKey);
        created(firstG);
        firstR = await restCreate(g1, rBody, rKey);
        expect(firstR.status).toBe(200);
      } finally {
        await g1.close();
      }

      const g2 = await startTestGateway({ env, testDb });
      try {
        expect(g2.url).not.toBe('');
        const before = await totals(g2);
        const againG = await gqlRaw(g2, gBody, gKey);
        expect(againG.status).toBe(200);
        expect(againG.replayed).toBe(true);
        expect(againG.text).toBe(firstG.text);
        const againR = await restCreate(g2, rBody, rKey);
        expect(againR.status).toBe(200);
        expect(againR.replayed).toBe(true);
        expect(againR.text).toBe(firstR.text);
        expect(await totals(g2)).toEqual(before);
        expect(await objectsWithExternalId(g2, externalId)).toBe(1);
      } finally {
        await g2.close();
      }
    } finally {
      await testDb.drop();
    }
  });
});

describe('expiry', () => {
  let e: TestGateway;
  beforeAll(async () => {
    // The background sweep is kept out of the way here (it gets its own gateway below).
    e = await startTestGateway({ env: { ...idemRedisEnv(), IDEMPOTENCY_TTL_HOURS: '1', IDEMPOTENCY_LEASE_SECONDS: '30', IDEMPOTENCY_SWEEP_SECONDS: '86400' } });
  });
  afterAll(async () => {
    await e?.close();
  });

  const expire = (key: string) => e.testDb.db.query(`UPDATE idempotency_key SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);

  it('records live for IDEMPOTENCY_TTL_HOURS; claims are leased for IDEMPOTENCY_LEASE_SECONDS', async () => {
    const key = newKey('ttl');
    created(await gqlRaw(e, createBody({ templateCode: GDNA }), key));
    const [r] = await e.testDb.db.query<{ ttl: number; lease: number }>(
      `SELECT extract(epoch FROM expires_at - created_at)::int AS ttl, extract(epoch FROM lease_until - created_at)::int AS lease
       FROM idempotency_key WHERE key = $1`,
      [key],
    );
    expect(Number(r.ttl)).toBe(3600);
    expect(Number(r.lease)).toBe(30);
  });

  it('an expired key is treated as new: a create with an externalId runs again and hits external_id_already_exists', async () => {
    const key = newKey('expired-ext');
    const externalId = uid('expired');
    const body = createBody({ templateCode: GDNA, externalId });
    created(await gqlRaw(e, body, key));
    await expire(key);

    const retry = await gqlRaw(e, body, key);
    expect(retry.replayed).toBe(false);
    expect(retry.status).toBeLessThan(500);
    expect(retry.json.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', detail: 'external_id_already_exists' });
    expect(await objectsWithExternalId(e, externalId)).toBe(1);
    // The failed retry did not leave a record behind: the key is free.
    expect(await idemRows(e, key)).toEqual([]);
  });

  it('an expired key is treated as new: a create without externalId makes a second object', async () => {
    const key = newKey('expired-new');
    const name = uid('expired new');
    const body = createBody({ templateCode: GDNA, name });
    const first = created(await gqlRaw(e, body, key));
    await expire(key);

    const retry = await gqlRaw(e, body, key);
    const second = created(retry);
    expect(retry.replayed).toBe(false);
    expect(second.id).not.toBe(first.id);
    expect(await objectsNamed(e, name)).toBe(2);
    const rows = await settledIdemRows(e, key);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'completed', body: retry.text });

    // And the fresh record replays.
    const third = await gqlRaw(e, body, key);
    expect(third.replayed).toBe(true);
    expect(third.text).toBe(retry.text);
  });

  it('REST: an expired key is treated as new', async () => {
    const key = newKey('expired-rest');
    const name = uid('expired rest');
    const body = { name, type: 'sample', subtype: 'gdna' };
    const first = await restCreate(e, body, key);
    expect(first.status).toBe(200);
    await expire(key);
    const retry = await restCreate(e, body, key);
    expect(retry.status).toBe(200);
    expect(retry.replayed).toBe(false);
    expect(retry.json.euid).not.toBe(first.json.euid);
    expect(await objectsNamed(e, name)).toBe(2);
  });

  it('an expired key reused with a different body is new, not 422', async () => {
    const key = newKey('expired-other');
    created(await gqlRaw(e, createBody({ templateCode: GDNA, name: uid('one') }), key));
    await expire(key);
    const other = await gqlRaw(e, createBody({ templateCode: GDNA, name: uid('two') }), key);
    created(other);
    expect(other.replayed).toBe(false);
  });

  it('sweepIdempotencyKeys deletes expired records (in batches) and keeps live ones', async () => {
    const db = e.testDb.db;
    const expiredBefore = Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_key WHERE expires_at < now()`))[0].n);
    const liveBefore = Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_key WHERE expires_at >= now()`))[0].n);
    const tag = uid('sweep');
    for (let i = 0; i < 5; i++) {
      await db.query(
        `INSERT INTO idempotency_key (principal, key, fingerprint, state, owner, lease_until, expires_at, status, body)
         VALUES ('service_account:sweep', $1, 'fp', 'completed', 'gone', now() - interval '2 hours', now() - interval '1 hour', 200, '{}')`,
        [`${tag}-old-${i}`],
      );
    }
    for (let i = 0; i < 2; i++) {
      await db.query(
        `INSERT INTO idempotency_key (principal, key, fingerprint, state, owner, lease_until, expires_at)
         VALUES ('service_account:sweep', $1, 'fp', 'in_flight', 'alive', now() + interval '1 hour', now() + interval '1 hour')`,
        [`${tag}-live-${i}`],
      );
    }

    const swept = await sweepIdempotencyKeys(db, 2);
    expect(swept).toBe(expiredBefore + 5);
    const left = await db.query<{ key: string }>(`SELECT key FROM idempotency_key WHERE key LIKE $1 ORDER BY key`, [`${tag}-%`]);
    expect(left.map((r) => r.key)).toEqual([`${tag}-live-0`, `${tag}-live-1`]);
    expect(Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_key WHERE expires_at < now()`))[0].n)).toBe(0);
    expect(Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM idempotency_key WHERE expires_at >= now()`))[0].n)).toBe(liveBefore + 2);
    expect(await sweepIdempotencyKeys(db)).toBe(0);
  });

  it('the gateway prunes expired records in the background every IDEMPOTENCY_SWEEP_SECONDS', async () => {
    const db = e.testDb.db;
    const gone = uid('bg-sweep');
    const kept = uid('bg-keep');
    await db.query(
      `INSERT INTO idempotency_key (principal, key, fingerprint, state, owner, lease_until, expires_at)
       VALUES ('service_account:sweep', $1, 'fp', 'completed', 'gone', now() - interval '2 hours', now() - interval '1 hour'),
              ('service_account:sweep', $2, 'fp', 'completed', 'kept', now() - interval '2 hours', now() + interval '1 hour')`,
      [gone, kept],
    );
    const sweeper = await startTestGateway({ env: { ...idemRedisEnv(), IDEMPOTENCY_SWEEP_SECONDS: '1' }, testDb: e.testDb });
    try {
      const left = await pollUntil(() => db.query<{ key: string }>(`SELECT key FROM idempotency_key WHERE key IN ($1, $2)`, [gone, kept]), (rows) => rows.length < 2, 150, 100);
      expect(left.map((r) => r.key)).toEqual([kept]);
    } finally {
      await sweeper.close();
    }
  });
});

describe('leases: a claim whose process died', () => {
  /** Sends `body` once with a throwaway key and returns that record's principal and fingerprint (fingerprints exclude the key). */
  async function fingerprintOf(send1: (key: string) => Promise<RawResult>): Promise<{ principal: string; fingerprint: string; first: RawResult }> {
    const k = newKey('fp');
    const first = await send1(k);
    expect(first.status).toBe(200);
    const [row] = await idemRows(t, k);
    return { principal: row.principal, fingerprint: row.fingerprint, first };
  }

  const insertInFlight = (principal: string, key: string, fp: string, lease: 'past' | 'future') =>
    t.testDb.db.query(
      `INSERT INTO idempotency_key (principal, key, fingerprint, state, owner, lease_until, expires_at)
       VALUES ($1, $2, $3, 'in_flight', $4, now() ${lease === 'past' ? '-' : '+'} interval '1 hour', now() + interval '1 day')`,
      [principal, key, fp, lease === 'past' ? 'dead' : 'alive'],
    );

  it('GraphQL: an in_flight claim with an expired lease is taken over and the request runs', async () => {
    const name = uid('lease');
    const body = createBody({ templateCode: GDNA, name });
    const { principal, fingerprint, first } = await fingerprintOf((k) => gqlRaw(t, body, k));
    const key = newKey('lease-dead');
    await insertInFlight(principal, key, fingerprint, 'past');

    const r = await gqlRaw(t, body, key);
    const obj = created(r);
    expect(r.replayed).toBe(false);
    expect(obj.id).not.toBe(first.json.data.createObject.id);
    expect(await objectsNamed(t, name)).toBe(2);
    expect(await auditFor(t, obj.id)).toHaveLength(1);
    const [row] = await settledIdemRows(t, key);
    expect(row).toMatchObject({ state: 'completed', status: 200, body: r.text });
    expect(row.owner).not.toBe('dead');
  });

  it('GraphQL: an in_flight claim with a live lease is 409 IDEMPOTENCY_KEY_IN_FLIGHT and left alone', async () => {
    const name = uid('lease live');
    const body = createBody({ templateCode: GDNA, name });
    const { principal, fingerprint } = await fingerprintOf((k) => gqlRaw(t, body, k));
    const key = newKey('lease-live');
    await insertInFlight(principal, key, fingerprint, 'future');

    const before = await totals(t);
    const r = await gqlRaw(t, body, key);
    expect(r.status).toBe(409);
    expect(codeOf(r)).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
    expect(r.headers.get('retry-after')).toBe('1');
    expect(await totals(t)).toEqual(before);
    const [row] = await idemRows(t, key);
    expect(row).toMatchObject({ state: 'in_flight', owner: 'alive' });
  });

  it('REST: a dead claim is taken over, a live one is 409 idempotency_key_in_flight with Retry-After: 1', async () => {
    const name = uid('lease rest');
    const body = { name, type: 'sample', subtype: 'gdna' };
    const { principal, fingerprint, first } = await fingerprintOf((k) => restCreate(t, body, k));

    const dead = newKey('lease-rest-dead');
    await insertInFlight(principal, dead, fingerprint, 'past');
    const r = await restCreate(t, body, dead);
    expect(r.status).toBe(200);
    expect(r.replayed).toBe(false);
    expect(r.json.euid).not.toBe(first.json.euid);

    const live = newKey('lease-rest-live');
    await insertInFlight(principal, live, fingerprint, 'future');
    const busy = await restCreate(t, body, live);
    expect(busy.status).toBe(409);
    expect(busy.json).toMatchObject({ detail: 'idempotency_key_in_flight' });
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await objectsNamed(t, name)).toBe(2);
  });
});

describe.runIf(usingPostgres)('a lease that runs out while its write is still running (PostgreSQL)', () => {
  // The first request claims the key and then waits on a table lock inside its write
  // transaction; its lease is made to run out, a retry takes the claim over and waits
  // too. When the lock goes, the stale holder must be rolled back (in flight) and the
  // taker-over must write exactly once.
  it.each(['graphql', 'rest'] as const)('%s: the stale holder gets in-flight and rolls back; the taker-over writes once', async (door) => {
    const key = newKey(`stale-${door}`);
    const name = uid(`stale ${door}`);
    const sendIt = () =>
      door === 'graphql' ? gqlRaw(t, createBody({ templateCode: GDNA, name }), key) : restCreate(t, { name, type: 'sample', subtype: 'gdna' }, key);

    const release = await holdTableLock(t.testDb.url!, 'material_object');
    let a: Promise<RawResult> | undefined;
    let b: Promise<RawResult> | undefined;
    try {
      a = sendIt();
      const [claimA] = await pollUntil(() => idemRows(t, key), (rows) => rows.length === 1, 400, 25);
      expect(claimA?.state).toBe('in_flight');
      await t.testDb.db.query(`UPDATE idempotency_key SET lease_until = now() - interval '1 second' WHERE id = $1`, [claimA.id]);
      b = sendIt();
      const [claimB] = await pollUntil(() => idemRows(t, key), (rows) => rows[0]?.owner !== claimA.owner, 400, 25);
      expect(claimB.owner).not.toBe(claimA.owner);
    } finally {
      await release();
    }
    const [ra, rb] = await Promise.all([a!, b!]);

    expect(rb.status, rb.text).toBe(200);
    expect(rb.replayed).toBe(false);
    if (door === 'graphql') {
      expect([200, 409]).toContain(ra.status);
      expect(codeOf(ra), ra.text).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
      expect(detailOf(ra)).toBe('idempotency_key_in_flight');
    } else {
      expect(ra.status, ra.text).toBe(409);
      expect(ra.json, ra.text).toMatchObject({ detail: 'idempotency_key_in_flight' });
      expect(ra.headers.get('retry-after')).toBe('1');
    }
    const euid: string = door === 'graphql' ? rb.json.data.createObject.id : rb.json.euid;
    expect(await objectsNamed(t, name)).toBe(1);
    expect(await auditFor(t, euid)).toHaveLength(1);
    expect(await outboxFor(t, euid)).toEqual(ONE_CONTENT_CREATE);
    const again = await sendIt();
    expect(again.replayed).toBe(true);
    expect(again.text).toBe(rb.text);
  });
});

describe('crash after commit, before the response bytes were stored', () => {
  // The bytes are stored just after the response goes out: wait for them, then lose them.
  const loseResponse = async (key: string, lease: 'past' | 'future' = 'past') => {
    await settledIdemRows(t, key);
    await t.testDb.db.query(
      `UPDATE idempotency_key SET body = NULL, status = NULL, lease_until = now() ${lease === 'past' ? '-' : '+'} interval '1 second' WHERE key = $1`,
      [key],
    );
  };

  it('GraphQL: the retry re-renders the response from the stored result, replayed, with no new write', async () => {
    const key = newKey('crash-gql');
    const name = uid('crash');
    const body = createBody({ templateCode: GDNA, name, externalId: uid('crash'), properties: { volume_ul: 7 } });
    const first = await gqlRaw(t, body, key);
    const obj = created(first);

    // While the original holder's lease still runs, the key is in flight.
    await loseResponse(key, 'future');
    const busy = await gqlRaw(t, body, key);
    expect(busy.status).toBe(409);
    expect(codeOf(busy)).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');

    await loseResponse(key, 'past');
    const before = await totals(t);
    const retry = await gqlRaw(t, body, key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expect(await totals(t)).toEqual(before);
    expect(await objectsNamed(t, name)).toBe(1);
    expect(await auditFor(t, obj.id)).toHaveLength(1);
    expect(await outboxFor(t, obj.id)).toEqual(ONE_CONTENT_CREATE);

    // The re-rendered bytes are stored again and replayed from then on.
    const [row] = await settledIdemRows(t, key);
    expect(row).toMatchObject({ state: 'completed', status: 200, body: retry.text });
    const again = await gqlRaw(t, body, key);
    expect(again.replayed).toBe(true);
    expect(again.text).toBe(retry.text);
  });

  it('REST: the retry re-renders the Bloom response from the stored result, with no new write', async () => {
    const key = newKey('crash-rest');
    const name = uid('crash rest');
    const body = { name, type: 'sample', subtype: 'gdna' };
    const first = await restCreate(t, body, key);
    expect(first.status).toBe(200);
    await loseResponse(key);
    const before = await totals(t);
    const retry = await restCreate(t, body, key);
    expect(retry.status).toBe(200);
    expect(retry.replayed).toBe(true);
    expect(retry.json).toEqual(first.json);
    expect(await totals(t)).toEqual(before);
    expect(await objectsNamed(t, name)).toBe(1);
  });
});

describe('minted secrets are never stored or replayed', () => {
  const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { token key { id name } } }`;

  async function noRowContains(needles: string[]): Promise<void> {
    const rows = await t.testDb.db.query<{ t: string }>(`SELECT i::text AS t FROM idempotency_key i`);
    expect(rows.length).toBeGreaterThan(0);
    for (const { t: text } of rows) for (const n of needles) expect(text.includes(n)).toBe(false);
  }

  it('createApiKey with a key: the replay has the token redacted, and no record holds it', async () => {
    const account = await createAccount(t, { name: uid('minted'), role: 'READ_WRITE' });
    const key = newKey('mint');
    const body = { query: CREATE_KEY, variables: { input: { accountId: account.id, name: 'ci' } } };

    const first = await gqlRaw(t, body, key);
    expect(first.status).toBe(200);
    const token: string = first.json.data.createApiKey.token;
    const keyId: string = first.json.data.createApiKey.key.id;
    expect(token).toMatch(/^lgk_/);
    const secretPart = token.slice(token.indexOf('.') + 1);
    expect(secretPart.length).toBeGreaterThanOrEqual(16);

    const replay = await gqlRaw(t, body, key);
    expect(replay.status).toBe(200);
    expect(replay.replayed).toBe(true);
    expect(replay.text).toContain('[redacted]');
    expect(replay.text).not.toContain(token);
    expect(replay.text).not.toContain(secretPart);
    expect(replay.json.data.createApiKey).toEqual({ token: '[redacted]', key: { id: keyId, name: 'ci' } });
    const keys = ok(await t.gql(`query($a: ID) { apiKeys(accountId: $a) { id } }`, { a: account.id })).apiKeys;
    expect(keys).toEqual([{ id: keyId }]);

    await noRowContains([token, secretPart]);

    // Re-rendering after a lost response does not bring the token back either.
    await t.testDb.db.query(`UPDATE idempotency_key SET body = NULL, status = NULL, lease_until = now() - interval '1 second' WHERE key = $1`, [key]);
    const rerendered = await gqlRaw(t, body, key);
    expect(rerendered.status).toBe(200);
    expect(rerendered.replayed).toBe(true);
    expect(rerendered.text).not.toContain(token);
    expect(rerendered.json.data.createApiKey.token).toBe('[redacted]');
    await noRowContains([token, secretPart]);

    // The token handed out the first time still works.
    const me = await gqlRaw(t, { query: `{ objectByExternalId(kind: CONTENT, externalId: "none") { id } }` }, undefined, bearer(token));
    expect(me.status).toBe(200);
    expect(me.json.errors).toBeUndefined();
  });
});
