// The admin CMS (issue 4), under /api/v1/admin: editors and admins only.
import { createRouter, type Router } from '../lib/openapi.ts';
import { registerContentRoutes } from './cms/content-routes.ts';
import { registerEpisodeEdits, registerStructureRoutes } from './cms/structure-routes.ts';

export function cmsRouter(): Router {
  const router = createRouter();
  registerContentRoutes(router);
  registerStructureRoutes(router);
  registerEpisodeEdits(router);
  return router;
}
