import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

/** Bloom §1 externalSpecimens: not served yet. */
export function externalSpecimenRoutes(_door: RestDoor): Router {
  return Router();
}
