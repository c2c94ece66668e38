// Runs one load spec in a child process (bench/lib/loadClient.ts) and measures the
// gateway side (SQL statements, CPU, event-loop utilisation) in this process meanwhile.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { add, round, summarize } from './stats.js';
import type { LoadResult, LoadSpec, Run } from './types.js';
import type { BenchGateway } from './gateway.js';
import { projectRoot } from './paths.js';
import { onCleanup } from './cleanup.js';

const CLIENT = fileURLToPath(new URL('./loadClient.ts', import.meta.url));

/** Spawns the load client, sends it `spec`, resolves with its JSON result; `onReady` fires as its first request goes out. */
export function runLoadClient(spec: LoadSpec, onReady: () => void = () => undefined): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT], {
      cwd: projectRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
      // No inherited NODE_OPTIONS (an --inspect there would clash with the parent's port).
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const unregister = onCleanup(async () => {
      child.kill('SIGKILL');
    });
    let out = '';
    let err = '';
    let ready = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!ready && out.includes('\n')) {
        ready = true;
        onReady();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    // The client stops itself at the time cap; this only catches a wedged client.
    const killer = setTimeout(() => child.kill('SIGKILL'), spec.timeCapMs + (spec.requestTimeoutMs ?? 30_000) + 30_000);
    child.on('error', (e) => {
      clearTimeout(killer);
      unregister();
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      unregister();
      if (code !== 0) return reject(new Error(`load client exited with ${signal ?? code}: ${err.trim() || out.trim()}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as LoadResult);
      } catch {
        reject(new Error(`load client printed no result: ${out.slice(0, 500)} ${err.slice(0, 500)}`));
      }
    });
    child.stdin.end(JSON.stringify(spec));
  });
}

/** One load run against `gw`, with gateway-side figures for the same interval; `onReady` fires as its first request goes out. */
export async function measure(gw: BenchGateway, spec: Omit<LoadSpec, 'url'>, onReady: () => void = () => undefined): Promise<Run> {
  let statements = 0;
  const stop = gw.gateway.db.onQuery(() => {
    statements++;
  });
  let cpu0 = process.cpuUsage();
  let elu0 = performance.eventLoopUtilization();
  const start = () => {
    statements = 0;
    cpu0 = process.cpuUsage();
    elu0 = performance.eventLoopUtilization();
    onReady();
  };
  try {
    const load = await runLoadClient({ ...spec, url: gw.url }, start);
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const n = Math.max(1, load.completed);
    return {
      load,
      server: {
        sqlPerRequest: round(statements / n, 2),
        cpuMsPerRequest: round((cpu.user + cpu.system) / 1000 / n, 3),
        eventLoopUtilization: round(elu.utilization, 3),
      },
    };
  } finally {
    stop();
  }
}

/** One call of a direct side; it throws on failure. `i` counts calls within a run. */
export type DirectRequest = (i: number) => Promise<void>;

/**
 * A load run made in the bench process instead of the load client: `concurrency` loops
 * call `fn` until `count` calls or `timeCapMs`, timing each call. For baselines that are
 * not HTTP (SQL sent straight to the database). The result has the load client's shape;
 * the server-side figures cover the same interval (the statements the gateway's handle
 * saw, and this process's CPU, which here includes the calls themselves).
 */
export async function measureDirect(gw: BenchGateway, fn: DirectRequest, spec: Pick<LoadSpec, 'count' | 'concurrency' | 'timeCapMs' | 'tag'>): Promise<Run> {
  let statements = 0;
  const stop = gw.gateway.db.onQuery(() => {
    statements++;
  });
  const latencies: number[] = [];
  const errorCodes: Record<string, number> = {};
  const errorSamples: string[] = [];
  let next = 0;
  let ok = 0;
  let failed = 0;
  let capped = false;
  try {
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const started = performance.now();
    const deadline = started + spec.timeCapMs;
    const worker = async () => {
      for (;;) {
        if (next >= spec.count) return;
        if (performance.now() >= deadline) {
          capped = true;
          return;
        }
        const i = next++;
        const t0 = performance.now();
        try {
          await fn(i);
          latencies.push(performance.now() - t0);
          ok++;
        } catch (err) {
          latencies.push(performance.now() - t0);
          failed++;
          add(errorCodes, (err as NodeJS.ErrnoException).code ?? 'ERROR');
          if (errorSamples.length < 5) errorSamples.push(err instanceof Error ? err.message : String(err));
        }
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const completed = latencies.length;
    const n = Math.max(1, completed);
    return {
      load: {
        tag: spec.tag,
        requested: next,
        completed,
        ok,
        failed,
        transportErrors: 0,
        capped,
        elapsedMs: round(elapsedMs, 1),
        rps: round(completed / (elapsedMs / 1000), 1),
        latencyMs: summarize(latencies),
        statuses: {},
        errorCodes,
        errorSamples,
        headerCounts: {},
      },
      server: {
        sqlPerRequest: round(statements / n, 2),
        cpuMsPerRequest: round((cpu.user + cpu.system) / 1000 / n, 3),
        eventLoopUtilization: round(elu.utilization, 3),
      },
    };
  } finally {
    stop();
  }
}
