import { Router, type RequestHandler } from 'express';
import { authRoutes } from './bloom/auth.routes.js';

/** REST compatibility door (/api/v1): Bloom and bioAF-style routes mapped onto the shared services. */
export function restCompatRouter(restAuth: RequestHandler): Router {
  const router = Router();
  router.get(['/api/v1', '/api/v1/'], (_req, res) => {
    res.json({ version: 'v1', status: 'stable', documentation: '/api/v1/docs', endpoints: { auth: '/api/v1/auth' } });
  });
  router.use('/api/v1', authRoutes(restAuth));
  // Everything else under /api/v1 needs a credential before it can even be a 404.
  router.use('/api/v1', restAuth);
  return router;
}
