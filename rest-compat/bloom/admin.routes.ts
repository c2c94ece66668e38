import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

/** Bloom §1 admin: not served yet. */
export function adminRoutes(_door: RestDoor): Router {
  return Router();
}
