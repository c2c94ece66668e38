// A helper process that talks JSON lines: the parent writes one JSON object per line
// on its stdin, it prints one JSON object per line (each with a `type`) on stdout.
// Used by the event benchmarks (P5 subscribers and writer, P6 webhook receiver), which
// need a conversation with their helper rather than the load client's one request,
// one reply. Started with `node --import tsx`, killed at the end or on Ctrl-C.
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { projectRoot } from './paths.js';
import { onCleanup } from './cleanup.js';

export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

export interface JsonChild {
  send(msg: object): void;
  /** The next message of this type not taken yet; rejects after `timeoutMs` or when the process exits first. */
  next<T extends ChildMessage = ChildMessage>(type: string, timeoutMs: number): Promise<T>;
  /** Ends the process (SIGKILL if it is still there after 2 s) and resolves when it is gone. */
  stop(): Promise<void>;
  readonly stderr: string;
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export const sharedNow = (): number => performance.timeOrigin + performance.now();

/** Spawns `script` (a path) and kills it after `hardCapMs` whatever happens. */
export function spawnJsonChild(script: string, hardCapMs: number): JsonChild {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
    // No inherited NODE_OPTIONS (an --inspect there would clash with the parent's port).
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const unregister = onCleanup(async () => {
    child.kill('SIGKILL');
  });
  const inbox: ChildMessage[] = [];
  const waiters: { type: string; resolve(m: ChildMessage): void; reject(e: Error): void }[] = [];
  let stderr = '';
  let exited: string | null = null;
  const gone = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const killer = setTimeout(() => child.kill('SIGKILL'), hardCapMs);
  killer.unref();

  const deliver = (m: ChildMessage) => {
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0].resolve(m);
    else inbox.push(m);
  };
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.trim()) return;
    try {
      deliver(JSON.parse(line) as ChildMessage);
    } catch {
      stderr += `(unparsed stdout) ${line}\n`;
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const fail = (why: string) => {
    exited = why;
    for (const w of waiters.splice(0)) w.reject(new Error(`${script.split('/').pop()} ${why}: ${stderr.trim().slice(-2000)}`));
  };
  child.on('error', (e) => fail(`failed to start (${e.message})`));
  child.on('close', (code, signal) => {
    clearTimeout(killer);
    unregister();
    fail(`exited with ${signal ?? code}`);
  });
  child.stdin.on('error', () => undefined); // writes after the child is gone

  return {
    get stderr() {
      return stderr;
    },
    send(msg) {
      if (!exited) child.stdin.write(`${JSON.stringify(msg)}\n`);
    },
    next<T extends ChildMessage>(type: string, timeoutMs: number): Promise<T> {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as T);
      if (exited) return Promise.reject(new Error(`${script.split('/').pop()} ${exited} before sending "${type}": ${stderr.trim().slice(-2000)}`));
      return new Promise<T>((resolve, reject) => {
        const w = {
          type,
          resolve: (m: ChildMessage) => {
            clearTimeout(t);
            resolve(m as T);
          },
          reject: (e: Error) => {
            clearTimeout(t);
            reject(e);
          },
        };
        const t = setTimeout(() => {
          const k = waiters.indexOf(w);
          if (k >= 0) waiters.splice(k, 1);
          reject(new Error(`${script.split('/').pop()}: no "${type}" within ${Math.round(timeoutMs)} ms; stderr: ${stderr.trim().slice(-2000)}`));
        }, Math.max(0, timeoutMs));
        waiters.push(w);
      });
    },
    async stop() {
      if (!exited) {
        child.stdin.end();
        const hard = setTimeout(() => child.kill('SIGKILL'), 2000);
        await gone;
        clearTimeout(hard);
      }
    },
  };
}

/** In a helper: every JSON line on stdin, in order; `onEnd` when the parent closes stdin (or dies). */
export function readCommands(onCommand: (m: ChildMessage) => void | Promise<void>, onEnd: () => void): void {
  let chain = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    const m = JSON.parse(line) as ChildMessage;
    chain = chain.then(() => onCommand(m)).catch((err: unknown) => {
      process.stderr.write(`command ${m.type} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(1);
    });
  });
  rl.on('close', () => void chain.then(onEnd));
}

/** In a helper: one message to the parent. */
export function emit(msg: ChildMessage): void {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
}
