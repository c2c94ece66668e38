// labgraph_graphql_executions_total: which engine ran each GraphQL operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t?.close();
});

const value = (text: string, labels: string) =>
  Number(new RegExp(`^labgraph_graphql_executions_total\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);

describe('labgraph_graphql_executions_total', () => {
  it('counts compiled executions and introspection on graphql-js; refused requests are not executed', async () => {
    ok(await t.gql('query A { me { role } }'));
    ok(await t.gql('query A { me { role } }'));
    ok(await t.gql('{ __schema { queryType { name } } }'));
    const bad = await t.gql('query B($n: Int) { objects(first: $n) { totalCount } }', { n: 'x' });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(value(text, 'engine="jit",reason="compiled"')).toBeGreaterThanOrEqual(2);
    expect(value(text, 'engine="graphql-js",reason="introspection"')).toBe(1);
    // Variables that do not coerce are refused by the limits plugin, before any execution.
    expect(value(text, 'engine="graphql-js",reason="variables"')).toBe(0);
  });
});
