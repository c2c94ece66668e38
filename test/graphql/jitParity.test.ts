// The compiled executor (graphql-jit, the default) and graphql-js give the same HTTP
// status and the same response bytes, over one database: data, nulls, errors and codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { bearer, mintKey } from '../helpers/auditAccounts.js';
import { GDNA, PLATE_96, create, link, place } from '../helpers/fixtures.js';
import { send } from '../helpers/idempotency.js';

let jit: TestGateway;
let js: TestGateway;
const ids: Record<string, string> = {};
let readerToken = '';

beforeAll(async () => {
  jit = await startTestGateway();
  const before = process.env.LABGRAPH_GRAPHQL_EXECUTOR;
  process.env.LABGRAPH_GRAPHQL_EXECUTOR = 'graphql-js';
  try {
    js = await startTestGateway({ testDb: jit.testDb });
  } finally {
    if (before === undefined) delete process.env.LABGRAPH_GRAPHQL_EXECUTOR;
    else process.env.LABGRAPH_GRAPHQL_EXECUTOR = before;
  }
  ids.plate = await create(jit, { templateCode: PLATE_96, name: 'parity plate', externalId: 'parity-plate' });
  ids.a = await create(jit, { templateCode: GDNA, name: 'parity a', properties: { volume_ul: 10 } });
  ids.b = await create(jit, { templateCode: GDNA, name: 'parity b' });
  ids.c = await create(jit, { templateCode: GDNA, name: 'parity c' });
  await place(jit, ids.plate, ids.a, 'A1');
  ids.edgeAb = await link(jit, ids.a, ids.b);
  await link(jit, ids.a, ids.c);
  await link(jit, ids.b, ids.c);
  readerToken = (await mintKey(jit, { role: 'READ_ONLY' })).token;
});
afterAll(async () => {
  await js?.close();
  await jit?.close();
});

const cases: [string, () => { query: string; variables?: Record<string, unknown>; operationName?: string; headers?: Record<string, string> }][] = [
  ['object with nested fields, fragments and aliases', () => ({
    query: `query Q($e: ID!) { o: object(euid: $e) { __typename id ...F ... on Content { placement { position container { id name } } }
      template { code } parents { id } children { id name } childEdges { id relationshipType child { id } } } }
      fragment F on MaterialObject { euid name kind category status properties deleted externalId }`,
    variables: { e: ids.a },
  })],
  ['a container with its contents and layout', () => ({
    query: `{ object(euid: "${ids.plate}") { id ... on Container { layout { rows columns wellCount } barcode } } }`,
  })],
  ['a missing object is null', () => ({ query: `{ object(euid: "BCT-ZZZZZZ") { id } }` })],
  ['a list page with skip/include from variables', () => ({
    query: `query L($n: Int, $skip: Boolean!) { objects(first: $n, filter: { nameContains: "parity" }) {
      nodes { id name template @skip(if: $skip) { code } } pageInfo { hasNextPage endCursor } totalCount } }`,
    variables: { n: 2, skip: true },
  })],
  ['node by id across types', () => ({ query: `{ a: node(id: "${ids.a}") { __typename id } e: node(id: "${ids.edgeAb}") { __typename id } }` })],
  ['lineage both ways', () => ({ query: `{ lineage(euid: "${ids.b}", direction: BOTH, depth: 3) { nodes { id name } edges { parentEuid childEuid relationshipType } } }` })],
  ['me', () => ({ query: '{ me { role } }' })],
  ['a missing required variable (BAD_USER_INPUT, 400)', () => ({ query: 'query Q($e: ID!) { object(euid: $e) { id } }', variables: {} })],
  ['a variable of the wrong type', () => ({ query: 'query Q($n: Int) { objects(first: $n) { nodes { id } } }', variables: { n: 'ten' } })],
  ['a validation error', () => ({ query: '{ object(euid: "x") { nope } }' })],
  ['introspection', () => ({ query: '{ __schema { queryType { name } } __type(name: "Container") { name kind } }' })],
  ['introspection inside a fragment', () => ({ query: '{ ...I } fragment I on Query { __type(name: "Content") { name fields { name } } }' })],
  ['a resolver error (NOT_FOUND) with its path', () => ({ query: `mutation { deleteObject(euid: "BCT-ZZZZZZ") { euid } }` })],
  ['an input error (BAD_USER_INPUT with issues)', () => ({ query: `mutation { updateObject(euid: "${ids.a}", input: { status: "Not Valid" }) { id } }` })],
  ['a refused mutation (FORBIDDEN)', () => ({ query: `mutation { deleteObject(euid: "${ids.c}") { euid } }`, headers: bearer(readerToken) })],
  ['no credential (UNAUTHENTICATED)', () => ({ query: '{ me { role } }', headers: { authorization: '' } })],
  ['two operations, one chosen by name', () => ({ query: 'query A { me { role } } query B { templates { code } }', operationName: 'B' })],
];

describe('graphql-jit and graphql-js answer alike', () => {
  for (const [name, make] of cases) {
    it(name, async () => {
      const { headers = {}, ...body } = make();
      const h: Record<string, string> = { ...headers };
      const [a, b] = [await send(jit, 'POST', '/graphql', body, h), await send(js, 'POST', '/graphql', body, h)];
      expect(a.status).toBe(b.status);
      expect(a.json).toEqual(b.json);
      expect(a.text).toBe(b.text);
    });
  }
});
