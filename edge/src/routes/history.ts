// Watch history and progress (issue 4), under /api/v1.
import { createRouter, type Router } from '../lib/openapi.ts';
import { registerEditHistory } from './history/edit-history.ts';
import { registerGetHistory } from './history/get-history.ts';
import { registerPostHeartbeat } from './history/post-heartbeat.ts';

export function historyRouter(): Router {
  const router = createRouter();
  registerPostHeartbeat(router);
  registerGetHistory(router);
  registerEditHistory(router);
  return router;
}
