// The webhook delivery worker: works the webhook_delivery queue the outbox
// dispatcher fills. Every pollMs (and on drain()) it claims due rows within its free
// capacity — a global cap per instance and a per-endpoint cap, so a slow or dead
// endpoint holds at most endpointConcurrency slots and never delays the others —
// then signs and sends each one outside any transaction, and records the outcome.
import type { Config } from '../../config/env.js';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../http/logger.js';
import { claimDue, disableEndpoint, markDelivered, markFailed, releaseLease, type ClaimedDelivery } from './queue.js';
import { decryptSecret, encryptionKey } from './secrets.js';
import { signatureHeaders } from './sign.js';
import { sendAttempt, truncate, type AttemptResult } from './send.js';
import { afterFailure } from './retry.js';
import { AllowList, assertDeliverableUrl, SsrfError } from './ssrf.js';
import { webhookAgent } from './pinnedAgent.js';

export interface DeliveryWorker {
  /** Attempts every due delivery now; resolves when that round is done. */
  drain(): Promise<void>;
  stop(): Promise<void>;
  /** Claims due rows now instead of at the next poll (e.g. right after the outbox dispatcher created deliveries). */
  wake(): void;
}

/** A lease outlives the attempt it covers by this much (clock skew, slow bookkeeping). */
const LEASE_MARGIN_MS = 15_000;
/** How long stop() lets in-flight sends finish before aborting them. */
const STOP_GRACE_MS = 5_000;

export async function startDeliveryWorker(db: Database, config: Config, logger: Logger): Promise<DeliveryWorker> {
  const cfg = config.webhooks;
  if (!cfg.encryptionKey && config.production) {
    logger.warn('LABGRAPH_ENCRYPTION_KEY is not set: webhook secrets are encrypted with the built-in development key');
  }
  const key = encryptionKey(cfg.encryptionKey);
  const allow = new AllowList(cfg.allowHosts);
  const agent = webhookAgent(allow);
  const policy = { schedule: cfg.retrySchedule, jitter: cfg.retryJitter };
  const log = logger.child({ component: 'webhooks' });
  const stopping = new AbortController();
  const inflight = new Set<Promise<void>>();
  let stopped = false;
  let claimChain: Promise<number> = Promise.resolve(0);
  let claimPending = false;
  let kickAgain = false;

  async function attempt(d: ClaimedDelivery): Promise<void> {
    const startedAt = new Date();
    let result: AttemptResult;
    try {
      // Names are checked where they are dialled (webhookAgent's lookup); this catches schemes and IP literals.
      await assertDeliverableUrl(d.url, { allow, resolveNames: false });
      const secrets = [decryptSecret(d.secret, key), ...(d.previousSecret ? [decryptSecret(d.previousSecret, key)] : [])];
      const headers = signatureHeaders({ eventId: d.eventId, eventType: d.eventType, deliveryId: d.deliveryId, body: d.payload, secrets });
      result = await sendAttempt(d.url, headers, d.payload, cfg.timeoutMs, stopping.signal, agent);
    } catch (err) {
      // Refused before any HTTP call: SSRF (DNS now points inside), or an undecryptable secret.
      const reason = err instanceof SsrfError ? `ssrf_refused: ${err.message}` : `not_sent: ${(err as Error).message}`;
      result = { ok: false, status: null, error: truncate(reason), durationMs: Date.now() - startedAt.getTime() };
    }
    if (result.aborted) {
      await releaseLease(db, d);
      return;
    }
    const record = { status: result.status, error: result.error, startedAt, durationMs: result.durationMs };
    const ctx = { deliveryId: d.deliveryId, endpoint: d.endpointEuid, eventId: d.eventId, attempt: d.attempts + 1, status: result.status, durationMs: result.durationMs };
    if (result.ok) {
      if (!(await markDelivered(db, d, record))) log.warn(ctx, 'webhook delivery lease lost before the result was recorded');
      else log.debug(ctx, 'webhook delivered');
      return;
    }
    const attempts = d.attempts + 1;
    const next = afterFailure(attempts, result.status, result.retryAfterSeconds, policy);
    if (!(await markFailed(db, d, record, next))) {
      log.warn(ctx, 'webhook delivery lease lost before the result was recorded');
      return;
    }
    if (next.status === 'failed') {
      const reason = `410 Gone from the receiver at ${new Date().toISOString()}`;
      if (await disableEndpoint(db, d.endpointId, reason)) log.warn({ endpoint: d.endpointEuid }, 'webhook endpoint disabled: the receiver answered 410 Gone');
    } else if (next.status === 'dead_letter') {
      log.warn({ ...ctx, error: result.error }, 'webhook delivery dead-lettered after its last retry');
    } else {
      log.debug({ ...ctx, error: result.error, retryInSeconds: Math.round(next.delaySeconds * 10) / 10 }, 'webhook delivery failed; will retry');
    }
  }

  function launch(d: ClaimedDelivery): void {
    const p: Promise<void> = attempt(d)
      .catch((err: unknown) => log.warn({ err, deliveryId: d.deliveryId }, 'webhook attempt bookkeeping failed; the row comes back when its lease ends'))
      .finally(() => {
        inflight.delete(p);
        if (!stopped) kick();
      });
    inflight.add(p);
  }

  /** One claim at a time per instance; fills the free slots. Resolves to the rows claimed. */
  function claimRound(): Promise<number> {
    claimChain = claimChain.then(async () => {
      if (stopped) return 0;
      const free = cfg.concurrency - inflight.size;
      if (free <= 0) return 0;
      try {
        const rows = await claimDue(db, { limit: free, perEndpoint: cfg.endpointConcurrency, leaseMs: cfg.timeoutMs + LEASE_MARGIN_MS });
        for (const d of rows) launch(d);
        return rows.length;
      } catch (err) {
        if (!stopped) log.warn({ err }, 'webhook claim failed; will retry');
        return 0;
      }
    });
    return claimChain;
  }

  /** Coalesced background claim (poll tick, a slot freed). */
  function kick(): void {
    if (claimPending) {
      kickAgain = true;
      return;
    }
    claimPending = true;
    void claimRound().finally(() => {
      claimPending = false;
      if (kickAgain && !stopped) {
        kickAgain = false;
        kick();
      }
    });
  }

  const timer = setInterval(kick, cfg.pollMs);
  timer.unref();
  kick();

  return {
    wake: () => {
      if (!stopped) kick();
    },
    async drain() {
      // Claim, wait for those sends, and again, until nothing due is left to claim.
      for (let i = 0; i < 1000 && !stopped; i++) {
        const claimed = await claimRound();
        await Promise.allSettled([...inflight]);
        if (claimed === 0 && inflight.size === 0) return;
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await claimChain.catch(() => undefined);
      // In-flight sends get up to 5 s (or the timeout, if shorter) to finish; then they are aborted and
      // their leases released, so another instance sends them again (at-least-once).
      const settled = Promise.allSettled([...inflight]);
      let timeout: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        settled.then(() => true),
        new Promise<boolean>((resolve) => {
          timeout = setTimeout(() => resolve(false), Math.min(cfg.timeoutMs, STOP_GRACE_MS));
        }),
      ]);
      clearTimeout(timeout);
      if (!waited) {
        stopping.abort();
        await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 2000).unref())]);
      }
      await agent.destroy().catch(() => undefined);
    },
  };
}
