import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

/** Bloom §1 content: not served yet. */
export function contentRoutes(_door: RestDoor): Router {
  return Router();
}
