// What happens after a failed attempt: the next gap (schedule × jitter, at least
// Retry-After on 429/503), dead letter after the last gap, disable on 410.

export interface RetryPolicy {
  /** Seconds between attempts: attempt n+1 waits schedule[n-1]. */
  schedule: number[];
  /** Fraction: each gap is scaled by a uniform factor in [1 − jitter, 1 + jitter]. */
  jitter: number;
}

/** Longest Retry-After honoured (a receiver cannot park a delivery for a year). */
export const MAX_RETRY_AFTER_SECONDS = 24 * 3600;

export type FailureOutcome =
  | { status: 'pending'; delaySeconds: number }
  | { status: 'dead_letter' }
  | { status: 'failed'; disableEndpoint: true };

/** Retry-After as seconds (delta-seconds or an HTTP-date), or undefined. */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Math.min(Number(v), MAX_RETRY_AFTER_SECONDS);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, (at - nowMs) / 1000), MAX_RETRY_AFTER_SECONDS);
}

export function scheduledDelay(attempts: number, policy: RetryPolicy, random = Math.random): number {
  const base = policy.schedule[attempts - 1] ?? 0;
  return Math.max(0, base * (1 + policy.jitter * (2 * random() - 1)));
}

/**
 * `attempts` counts the failed attempt just made. After schedule.length retries
 * (attempts > schedule.length) the delivery is dead-lettered.
 */
export function afterFailure(attempts: number, httpStatus: number | null, retryAfter: number | undefined, policy: RetryPolicy, random = Math.random): FailureOutcome {
  if (httpStatus === 410) return { status: 'failed', disableEndpoint: true };
  if (attempts > policy.schedule.length) return { status: 'dead_letter' };
  let delaySeconds = scheduledDelay(attempts, policy, random);
  if ((httpStatus === 429 || httpStatus === 503) && retryAfter !== undefined) delaySeconds = Math.max(delaySeconds, retryAfter);
  return { status: 'pending', delaySeconds };
}
