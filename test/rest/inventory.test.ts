// Every route docs/rest-compatibility.md lists as served (or served with a
// divergence) must be mounted: a request to it never meets the app's catch-all 404.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAuth, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const DOC = path.join(import.meta.dirname, '../../docs/rest-compatibility.md');

/** `METHOD /path` pairs from the served rows of the Bloom table. */
export function servedRoutes(markdown: string): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const section = markdown.slice(markdown.indexOf('## Bloom routes'), markdown.indexOf('## bioAF'));
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !/^(served|diverges)/.test(cells[2])) continue;
    let methods: string[] = [];
    let base = '';
    for (const m of cells[1].matchAll(/`(?:([A-Z/]+) )?(\/[^`?]*)[^`]*`/g)) {
      if (m[1]) methods = m[1].split('/');
      let p = m[2];
      if (!m[1] && base && !p.startsWith(`${base}/`)) p = base + p; // `/types` after `/object-creation/categories`
      else base = p.split('/').slice(0, 2).join('/');
      for (const method of methods) out.push({ method, path: p });
    }
  }
  return out;
}

const concrete = (p: string) => `/api/v1${p.replace(/\{[^}]+\}/g, 'BCT-ZZZZ')}`.replace('/api/v1/api/v1', '/api/v1');

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t?.close();
});

describe('REST route inventory', () => {
  const routes = servedRoutes(fs.readFileSync(DOC, 'utf8'));

  it('reads the served routes from the compatibility table', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes).toContainEqual({ method: 'POST', path: '/containers/bulk-create' });
    expect(routes).toContainEqual({ method: 'GET', path: '/object-creation/types' });
  });

  it.each(servedRoutes(fs.readFileSync(DOC, 'utf8')).map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s is mounted',
    async (_name, r) => {
      const res = await fetch(`${t.url}${concrete(r.path)}`, {
        method: r.method,
        headers: { ...adminAuth, 'content-type': 'application/json' },
        body: r.method === 'GET' || r.method === 'DELETE' ? undefined : '{}',
      });
      const body = await res.text();
      // the catch-all answers exactly {"detail":"Not Found"}; route-level 404s name what was missing
      expect(res.status === 404 && body === '{"detail":"Not Found"}', `${r.method} ${concrete(r.path)} → ${res.status} ${body}`).toBe(false);
    },
  );
});
