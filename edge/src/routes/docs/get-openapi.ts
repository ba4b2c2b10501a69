// GET /api/v1/openapi.json: the OpenAPI 3.1 document generated from the route
// schemas of the router it is registered on.
import type { Router } from '../../lib/openapi.ts';

export const API_INFO = {
  title: 'irdnl API',
  version: '1.0.0',
  description: 'Video streaming backend. Every error answers `{ error: { code, message, requestId, details? } }`.',
};

export function registerGetOpenApi(app: Router, opts: { serverUrl: string }): void {
  // Generated on first request and kept with this router (not module state):
  // the routes cannot change after start-up, and generation is CPU we would
  // otherwise spend on every hit. Plain get() rather than doc31() so that a
  // generation failure goes through the error envelope instead of echoing
  // the exception object.
  let document: object | undefined;
  app.get('/openapi.json', (c) => {
    document ??= app.getOpenAPI31Document({ openapi: '3.1.0', info: API_INFO, servers: [{ url: opts.serverUrl }] });
    return c.json(document);
  });
}
