// bioAF-style integration routes under /api/v1/integrations (placeholder).
import { Router } from 'express';
import type { RestDoor } from '../../src/http/app.js';

export function integrationRoutes(_door: RestDoor): Router {
  return Router();
}
