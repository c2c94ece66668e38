// OpenAPI documents and Swagger UI, all without a credential (bioAF §1): mounted
// before the REST door's authentication.
import { Router, type Response } from 'express';
import type { OpenApiDocument } from './document.js';
import { bloomDocument, integrationsDocument } from './bloomDocument.js';
import { ASSET_BASE, DOCS_CSP, SWAGGER_ASSETS, SWAGGER_INITIALIZER, swaggerPage } from './swaggerUi.js';

const sendDocument = (res: Response, doc: OpenApiDocument) => {
  res.setHeader('Cache-Control', 'no-cache');
  res.json(doc);
};

const BLOOM_PAGE = swaggerPage('labgraph · Bloom /api/v1 · Swagger UI', '/api/v1/openapi.json');
const INTEGRATIONS_PAGE = swaggerPage('labgraph · integrations · Swagger UI', '/api/v1/integrations/openapi.json');

export function openApiRoutes(): Router {
  const r = Router();
  r.get('/api/v1/openapi.json', (_req, res) => sendDocument(res, bloomDocument()));
  r.get('/api/v1/integrations/openapi.json', (_req, res) => sendDocument(res, integrationsDocument()));

  const page = (html: string) => (_req: unknown, res: Response) => {
    res.setHeader('Content-Security-Policy', DOCS_CSP);
    res.type('html').send(html);
  };
  r.get(['/api/v1/docs', '/api/v1/docs/'], page(BLOOM_PAGE));
  r.get(['/api/v1/integrations/docs', '/api/v1/integrations/docs/'], page(INTEGRATIONS_PAGE));

  r.get(`${ASSET_BASE}/swagger-initializer.js`, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/javascript').send(SWAGGER_INITIALIZER);
  });
  for (const [name, file] of Object.entries(SWAGGER_ASSETS)) {
    r.get(`${ASSET_BASE}/${name}`, (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=86400');
      res.sendFile(file);
    });
  }
  return r;
}
