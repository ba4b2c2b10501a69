// Delivery for players (issue 6): /media/{token}/{assetId}/..., at the root
// (a CDN hostname can front it), outside the JSON API.
import { createRouter, type Router } from '../lib/openapi.ts';
import { registerGetMedia } from './media/get-media.ts';
import { registerMediaKeys } from './media/keys.ts';

export function mediaRouter(): Router {
  const router = createRouter();
  // Before the catch-all file route.
  registerMediaKeys(router);
  registerGetMedia(router);
  return router;
}
