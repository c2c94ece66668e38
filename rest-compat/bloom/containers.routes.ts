import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

/** Bloom §1 containers: not served yet. */
export function containerRoutes(_door: RestDoor): Router {
  return Router();
}
