import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import type { IdempotencyHandle } from '../idempotency/claim.js';

/** What a service call needs from its request: the store, who is acting, and the request's idempotency claim. */
export interface ServiceContext {
  db: Database;
  actor: Actor;
  idempotency?: IdempotencyHandle;
}
