// The Bloom /api/v1 document: every Bloom group's specs plus search v2, and the
// integrations document, each built once per process on first request.
import { buildOpenApiDocument, type OpenApiDocument } from './document.js';
import { bloomErrorSchema } from './bloomShapes.js';
import type { RouteSpec } from './routeSpec.js';
import { authSpecs } from '../bloom/auth.openapi.js';
import { objectSpecs } from '../bloom/objects.openapi.js';
import { containerSpecs } from '../bloom/containers.openapi.js';
import { contentSpecs } from '../bloom/content.openapi.js';
import { lineageSpecs } from '../bloom/lineages.openapi.js';
import { objectCreationSpecs } from '../bloom/objectCreation.openapi.js';
import { templateSpecs } from '../bloom/templates.openapi.js';
import { subjectSpecs } from '../bloom/subjects.openapi.js';
import { graphSpecs } from '../bloom/graph.openapi.js';
import { externalSpecimenSpecs } from '../bloom/externalSpecimens.openapi.js';
import { userTokenSpecs } from '../bloom/userTokens.openapi.js';
import { adminSpecs } from '../bloom/admin.openapi.js';
import { searchSpecs } from '../bloom/search.openapi.js';
import { integrationSpecs } from '../integrations/routeSpecs.js';

const VERSION = '1.0.0';

export function bloomRouteSpecs(): RouteSpec[] {
  return [
    ...authSpecs, ...objectSpecs, ...containerSpecs, ...contentSpecs, ...lineageSpecs, ...objectCreationSpecs, ...templateSpecs,
    ...subjectSpecs, ...searchSpecs, ...graphSpecs, ...externalSpecimenSpecs, ...userTokenSpecs, ...adminSpecs,
  ];
}

export function buildBloomDocument(): OpenApiDocument {
  return buildOpenApiDocument({
    title: 'labgraph · Bloom-compatible REST API',
    version: VERSION,
    description:
      "Bloom LIMS's /api/v1 routes served over labgraph's shared services (the same rules as GraphQL). "
      + 'Every request needs a bearer credential (API key, Bloom user token blm_…, or JWT) unless an operation says otherwise. '
      + 'Errors are `{"detail": "<message>"}`; validation failures are FastAPI-style 422 lists. Creates answer 200. '
      + 'Writes accept an Idempotency-Key. Collection paths answer with and without the trailing slash.',
    basePath: '/api/v1',
    routes: bloomRouteSpecs(),
    errorSchema: bloomErrorSchema,
  });
}

export function buildIntegrationsDocument(): OpenApiDocument {
  return buildOpenApiDocument({
    title: 'labgraph · integration API (bioAF-style)',
    version: VERSION,
    description:
      'Projects, experiments, samples and files for integrations, modelled onto the material graph. '
      + 'Errors are `{"detail": "<code or message>"}`; validation failures are FastAPI-style 422 lists.',
    basePath: '/api/v1/integrations',
    routes: integrationSpecs,
    errorSchema: bloomErrorSchema,
  });
}

const once = <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= build());
};

/** The served documents: built lazily, once per process. */
export const bloomDocument = once(buildBloomDocument);
export const integrationsDocument = once(buildIntegrationsDocument);
