// One HTTP attempt: POST the exact body, never follow redirects, bounded by the
// timeout (headers and the first 4 KB of the response body alike).
import { fetch, type Dispatcher } from 'undici';
import { parseRetryAfter } from './retry.js';

export const MAX_ERROR_CHARS = 4096;

export interface AttemptResult {
  ok: boolean;
  /** HTTP status, or null when no response arrived (network error, timeout, refused URL). */
  status: number | null;
  /** Why it failed (status and the start of the response body, or the network error); null on success. */
  error: string | null;
  durationMs: number;
  retryAfterSeconds?: number;
  /** Aborted because the worker is stopping: not an attempt to count. */
  aborted?: boolean;
}

export const truncate = (s: string, max = MAX_ERROR_CHARS) => (s.length > max ? s.slice(0, max - 1) + '…' : s);

async function readSnippet(res: Awaited<ReturnType<typeof fetch>>, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // a body cut short (timeout, reset) still leaves the status to record
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `timeout: no response within ${timeoutMs} ms`;
  const cause = e?.cause;
  if (cause?.code === 'ESSRF') return `ssrf_refused: ${cause.message}`;
  const detail = cause ? [cause.code, cause.message].filter(Boolean).join(' ') : '';
  return `network error: ${detail || e?.message || String(err)}`;
}

export async function sendAttempt(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  stopSignal?: AbortSignal,
  /** Connection pool; the delivery worker's checks each dialled address (see pinnedAgent.ts). */
  dispatcher?: Dispatcher,
): Promise<AttemptResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = stopSignal ? AbortSignal.any([timeout, stopSignal]) : timeout;
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal, dispatcher });
    const ok = res.status >= 200 && res.status < 300;
    // Read (a bounded part of) the body either way, so the connection can be reused.
    const text = await readSnippet(res, MAX_ERROR_CHARS);
    const durationMs = elapsed();
    if (ok) return { ok, status: res.status, error: null, durationMs };
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    const error = truncate(`HTTP ${res.status}${location ? ` (redirect to ${location}, not followed)` : ''}${text ? `: ${text}` : ''}`);
    return { ok, status: res.status, error, durationMs, retryAfterSeconds: parseRetryAfter(res.headers.get('retry-after')) };
  } catch (err) {
    if (stopSignal?.aborted && !timeout.aborted) return { ok: false, status: null, error: 'aborted: worker stopping', durationMs: elapsed(), aborted: true };
    return { ok: false, status: null, error: truncate(describeNetworkError(err, timeoutMs)), durationMs: elapsed() };
  }
}
