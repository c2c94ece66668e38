import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('startup failures', () => {
  it('an unreachable DATABASE_URL is one clear line and exit code 1, no stack trace', async () => {
    const r = await runMain({ DATABASE_URL: 'postgresql://nobody:secret@127.0.0.1:1/none' });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^labgraph: cannot connect to DATABASE_URL/);
    expect(r.stderr).not.toContain('secret');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a malformed DATABASE_URL is refused the same way', async () => {
    const r = await runMain({ DATABASE_URL: 'mysql://x' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^labgraph: Invalid configuration: DATABASE_URL/);
  });
});
