// HTTP helpers the integration-route tests share: requests to
// /api/v1/integrations that record every response body (for the no-"uuid" and
// no-internal-id assertions), and the API keys the auth tests use.
import { expect } from 'vitest';
import { adminAuth, type TestGateway } from '../helpers/gateway.js';

export interface Res {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export const BASE = '/api/v1/integrations';

export function client(t: () => TestGateway) {
  const bodies: string[] = [];
  async function call(method: string, path: string, body?: unknown, auth: Record<string, string> | null = adminAuth, headers: Record<string, string> = {}): Promise<Res> {
    const h: Record<string, string> = { ...(auth ?? {}), ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(`${t().url}${BASE}${path}`, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    bodies.push(text);
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  }
  /** No response of the file ever carried a uuid or an internal key name. */
  function assertNoInternalIds(): void {
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) {
      expect(b.toLowerCase()).not.toContain('uuid');
      expect(b).not.toMatch(/"(internalId|templateId|template_id|endpointId|endpoint_id)"/);
    }
  }
  return { call, bodies, assertNoInternalIds };
}

/** Fails with the body when the status is not the expected one. */
export function expectStatus(r: Res, status: number): Res {
  expect(r.status, r.text).toBe(status);
  return r;
}
