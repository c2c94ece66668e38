import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, startTestGateway, type TestGateway } from '../helpers/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ env: { GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COMPLEXITY: '5000' } });
});
afterAll(async () => {
  await t?.close();
});

describe('health', () => {
  it('GET /healthz answers while the process lives', async () => {
    const r = await fetch(`${t.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports each dependency', async () => {
    const r = await fetch(`${t.url}/readyz`);
    expect(r.status).toBe(200);
    const body: any = await r.json();
    expect(body.status).toBe('ready');
    expect(body.checks.database.status).toBe('up');
    expect(body.checks.migrations).toMatchObject({ status: 'up', pending: [] });
  });
});

describe('GraphiQL', () => {
  it('serves the IDE to a browser from local npm assets, not a CDN', async () => {
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/https?:\/\//);
    for (const src of html.match(/\/graphiql\/assets\/[a-z.-]+/g) ?? []) {
      const asset = await fetch(`${t.url}${src}`);
      expect(asset.status, src).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, src).toBeGreaterThan(1000);
    }
    expect(html.match(/\/graphiql\/assets\//g)?.length).toBeGreaterThanOrEqual(4);
  });

  it('still answers GraphQL GET queries for API clients', async () => {
    const r = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true', ...adminAuth },
    });
    expect(await r.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('request hygiene', () => {
  it('echoes or assigns a request id', async () => {
    const given = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'req-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('req-abc-123');
    const assigned = await fetch(`${t.url}/healthz`);
    expect(assigned.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const r = await fetch(`${t.url}/nope`);
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ detail: 'Not Found' });
  });

  it('answers malformed JSON with a 4xx, never a 500', async () => {
    const r = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });

  it('refuses over-deep queries before executing them', async () => {
    const deep = `{ objects { nodes { parents { parents { parents { parents { parents { id } } } } } } } }`;
    const r = await t.gql(deep);
    expect(r.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(r.errors?.[0].message).toMatch(/depth 8 exceeds the limit of 6/);
    expect(r.data ?? null).toBeNull();
  });

  it('refuses over-complex queries (fan-out through lists) before executing them', async () => {
    const wide = `{ objects(first: 500) { nodes { id name children { id name children { id } } } } }`;
    const r = await t.gql(wide);
    expect(r.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const fine = await t.gql(`{ objects(first: 10) { nodes { id children { id } } } }`);
    expect(fine.errors).toBeUndefined();
  });

  it('reports malformed GraphQL with Apollo codes, not INTERNAL_SERVER_ERROR', async () => {
    expect((await t.gql('{ objects { ')).errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await t.gql('{ nope }')).errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badVar = await t.gql('query($d: Int) { lineage(euid: "X", depth: $d) { nodes { id } } }', { d: 'deep' });
    expect(badVar.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
