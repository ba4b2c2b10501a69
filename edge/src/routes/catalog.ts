// Catalog reads for viewers (issue 4), under /api/v1.
import { createRouter, type Router } from '../lib/openapi.ts';
import { registerGetCatalog } from './catalog/get-catalog.ts';

export function catalogRouter(): Router {
  const router = createRouter();
  registerGetCatalog(router);
  return router;
}
