import { Router } from 'express';
import type { RestDoor } from '../src/http/app.js';
import { authRoutes } from './bloom/auth.routes.js';
import { objectRoutes } from './bloom/objects.routes.js';
import { containerRoutes } from './bloom/containers.routes.js';
import { contentRoutes } from './bloom/content.routes.js';
import { lineageRoutes } from './bloom/lineages.routes.js';
import { objectCreationRoutes } from './bloom/objectCreation.routes.js';
import { templateRoutes } from './bloom/templates.routes.js';
import { subjectRoutes } from './bloom/subjects.routes.js';
import { graphRoutes } from './bloom/graph.routes.js';
import { userTokenRoutes } from './bloom/userTokens.routes.js';
import { adminRoutes } from './bloom/admin.routes.js';
import { externalSpecimenRoutes } from './bloom/externalSpecimens.routes.js';
import { searchRoutes } from './bloom/search.routes.js';
import { integrationRoutes } from './integrations/index.js';
import { openApiRoutes } from './openapi/serve.js';
import { bloomErrors } from './bloom/errors.js';

/** REST compatibility door (/api/v1): Bloom and bioAF-style routes mapped onto the shared services. */
export function restCompatRouter(door: RestDoor): Router {
  const router = Router();
  // Unauthenticated by contract (Bloom §1.1).
  router.get(['/api/v1', '/api/v1/'], (_req, res) => {
    res.json({ version: 'v1', status: 'stable', documentation: '/api/v1/docs', endpoints: {
        auth: '/api/v1/auth',
        objects: '/api/v1/objects',
        containers: '/api/v1/containers',
        content: '/api/v1/content',
        lineages: '/api/v1/lineages',
        object_creation: '/api/v1/object-creation',
        templates: '/api/v1/templates',
        subjects: '/api/v1/subjects',
        search_v2: '/api/v1/search/v2',
        graph: '/api/v1/graph',
        external_specimens: '/api/v1/external/specimens',
        user_tokens: '/api/v1/user-tokens',
        admin_auth: '/api/v1/admin',
        integrations: '/api/v1/integrations',
      }, });
  });
  router.post('/api/v1/auth/logout', (_req, res) => {
    res.json({ success: true, message: 'Logged out successfully' });
  });
  // OpenAPI documents and Swagger UI need no credential (bioAF §1).
  router.use(openApiRoutes());
  // Everything else needs a credential before it can even be a 404.
  router.use('/api/v1', door.timer, door.json, door.auth);
  router.use(
    '/api/v1',
    authRoutes(),
    objectRoutes(door),
    containerRoutes(door),
    contentRoutes(door),
    lineageRoutes(door),
    objectCreationRoutes(door),
    templateRoutes(door),
    subjectRoutes(door),
    graphRoutes(door),
    userTokenRoutes(door),
    adminRoutes(door),
    externalSpecimenRoutes(door),
    searchRoutes(door),
  );
  router.use('/api/v1/integrations', integrationRoutes(door));
  router.use('/api/v1', bloomErrors);
  return router;
}
