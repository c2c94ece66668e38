import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';

/** What a service call needs from its request: the store and who is acting. */
export interface ServiceContext {
  db: Database;
  actor: Actor;
}
