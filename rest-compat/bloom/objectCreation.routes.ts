import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

/** Bloom §1 objectCreation: not served yet. */
export function objectCreationRoutes(_door: RestDoor): Router {
  return Router();
}
