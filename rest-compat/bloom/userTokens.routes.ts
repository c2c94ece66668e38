import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

/** Bloom §1 userTokens: not served yet. */
export function userTokenRoutes(_door: RestDoor): Router {
  return Router();
}
