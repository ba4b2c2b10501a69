// Search and the watchlist (issue 4), under /api/v1.
import { createRouter, type Router } from '../lib/openapi.ts';
import { registerGetSearch } from './search/get-search.ts';
import { registerWatchlist } from './watchlist/watchlist.ts';

export function discoveryRouter(): Router {
  const router = createRouter();
  registerGetSearch(router);
  registerWatchlist(router);
  return router;
}
