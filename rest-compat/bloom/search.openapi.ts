import type { RouteSpec } from '../openapi/routeSpec.js';

export const searchSpecs: RouteSpec[] = [];
