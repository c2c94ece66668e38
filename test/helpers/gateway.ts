// A real gateway on 127.0.0.1 with an ephemeral port, over its own fresh database.
import { loadConfig, type Config } from '../../src/config/env.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/http/logger.js';
import { freshDatabase, type TestDatabase } from './db.js';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; detail?: string; [k: string]: unknown } }[];
  headers: Headers;
}

export interface TestGateway {
  gateway: Gateway;
  testDb: TestDatabase;
  url: string;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

/** The bootstrap ADMIN credential every test gateway starts with. */
export const ADMIN_KEY = 'test-bootstrap-admin-key-0123456789abcdef';
export const adminAuth = { authorization: `Bearer ${ADMIN_KEY}` };

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', LABGRAPH_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, ...env });
}

export async function startTestGateway(opts: { env?: Record<string, string>; testDb?: TestDatabase } = {}): Promise<TestGateway> {
  const testDb = opts.testDb ?? (await freshDatabase());
  const config = testConfig(opts.env);
  const gateway = await startGateway(config, { db: testDb.db, migrate: false, logger: createLogger('silent') });
  // Requests act as the bootstrap ADMIN unless the test passes its own authorization ('' = none).
  const gql: TestGateway['gql'] = async (query, variables = {}, headers = {}) => {
    const all: Record<string, string> = { 'content-type': 'application/json', ...adminAuth, ...headers };
    if (all.authorization === '') delete all.authorization;
    const res = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: all,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: any; errors?: GqlResult['errors'] };
    return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
  };
  return {
    gateway,
    testDb,
    url: gateway.url,
    gql,
    async close() {
      await gateway.close();
      if (!opts.testDb) await testDb.drop();
    },
  };
}

/** Asserts a GraphQL response has no errors and returns its data. */
export function ok<T>(r: GqlResult<T>): T {
  if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  if (!r.data) throw new Error('no data');
  return r.data;
}
