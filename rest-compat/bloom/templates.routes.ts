import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

/** Bloom §1 templates: not served yet. */
export function templateRoutes(_door: RestDoor): Router {
  return Router();
}
