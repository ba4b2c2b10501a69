// Delivery for players (issue 6): /media/{token}/{assetId}/..., at the root
// (a CDN hostname can front it), outside the JSON API.
import { createRouter, type Router } from '../lib/openapi.ts';
import { registerGetMedia } from './media/get-media.ts';

export function mediaRouter(): Router {
  const router = createRouter();
  registerGetMedia(router);
  return router;
}
