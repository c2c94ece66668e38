import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

/** Bloom §1 lineages: not served yet. */
export function lineageRoutes(_door: RestDoor): Router {
  return Router();
}
