import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

/** Bloom §1 subjects: not served yet. */
export function subjectRoutes(_door: RestDoor): Router {
  return Router();
}
