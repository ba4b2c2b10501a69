// The application: middleware in a deliberate order, then the routers.
//
//  1. requestId  - first, so every response (errors, 404/405, CORS preflights)
//                  carries X-Request-Id and every log line can name it.
//  2. logger     - wraps everything after it: one line per request with the
//                  final status, including errors turned into envelopes.
//  3. methodNotAllowed - looks only at the finished response: turns a 404 on a
//                  path that exists under another method into 405 + Allow.
//  4. init       - parses configuration and attaches per-request services; a
//                  broken configuration fails here as CONFIG_INVALID.
//  5. cors       - needs the parsed origins; answers preflights before any
//                  body is read or route runs.
//  6. bodyLimit  - rejects oversized bodies before a handler reads them.
import { notFound, onError } from './lib/errors.ts';
import { createRouter, type Router } from './lib/openapi.ts';
import { bodyLimit } from './middleware/body-limit.ts';
import { cors } from './middleware/cors.ts';
import { init } from './middleware/init.ts';
import { logger } from './middleware/logger.ts';
import { methodNotAllowed } from './middleware/method-not-allowed.ts';
import { requestId } from './middleware/request-id.ts';
import { registerGetDocs } from './routes/docs/get-docs.ts';
import { registerGetOpenApi } from './routes/docs/get-openapi.ts';
import { registerGetHealthReady } from './routes/health/get-health-ready.ts';
import { registerGetHealth } from './routes/health/get-health.ts';
import { catalogRouter } from './routes/catalog.ts';
import { cmsRouter } from './routes/cms.ts';
import { discoveryRouter } from './routes/discovery.ts';
import { historyRouter } from './routes/history.ts';
import { identityRouter } from './routes/identity.ts';
import { mediaRouter } from './routes/media.ts';
import { mediaAdminRouter } from './routes/media-admin.ts';
import { playbackRouter } from './routes/playback.ts';
import { watchRouter } from './routes/watch.ts';

export const API_BASE = '/api/v1';

export function createApp(): Router {
  const app = createRouter();
  app.use(requestId());
  app.use(logger());
  app.use(methodNotAllowed(app));
  app.use(init());
  app.use(cors());
  app.use(bodyLimit());

  // Health lives at the root (load balancers, the README's curl) and under
  // the API base (documented there).
  app.route('/', healthRouter());

  const v1 = createRouter();
  v1.route('/', healthRouter());
  registerGetOpenApi(v1, { serverUrl: API_BASE });
  registerGetDocs(v1, { documentUrl: `${API_BASE}/openapi.json` });
  v1.route('/', identityRouter());
  v1.route('/', playbackRouter());
  v1.route('/', mediaAdminRouter());
  v1.route('/', historyRouter());
  v1.route('/', catalogRouter());
  v1.route('/', discoveryRouter());
  v1.route('/', cmsRouter());
  app.route(API_BASE, v1);
  app.route('/', mediaRouter());
  app.route('/', watchRouter());

  app.notFound(notFound);
  app.onError(onError);
  return app;
}

function healthRouter(): Router {
  const router = createRouter();
  registerGetHealth(router);
  registerGetHealthReady(router);
  return router;
}
