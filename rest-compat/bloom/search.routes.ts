// Bloom §1.9 /api/v1/search/v2 (placeholder: routes arrive with the search service).
import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

export function searchRoutes(_door: RestDoor): Router {
  return Router();
}
