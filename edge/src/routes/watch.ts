// The demo web player (issue 6): a page at /watch, outside the JSON API.
import { createRouter, type Router } from '../lib/openapi.ts';
import { registerGetWatch } from './watch/get-watch.ts';

export function watchRouter(): Router {
  const router = createRouter();
  registerGetWatch(router);
  return router;
}
