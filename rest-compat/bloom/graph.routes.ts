import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

/** Bloom §1 graph: not served yet. */
export function graphRoutes(_door: RestDoor): Router {
  return Router();
}
