import { Router } from 'express';

/** REST compatibility door (/api/v1): Bloom and bioAF-style routes mapped onto the shared services. */
export function restCompatRouter(): Router {
  const router = Router();
  router.get(['/api/v1', '/api/v1/'], (_req, res) => {
    res.json({ version: 'v1', status: 'stable', documentation: '/api/v1/docs', endpoints: {} });
  });
  return router;
}
