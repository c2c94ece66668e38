// OpenAPI documents and Swagger UI (placeholder).
import { Router } from 'express';

export function openApiRoutes(): Router {
  return Router();
}
