// The playback API (issue 6): minting sessions and managing streams, under /api/v1.
import { createRouter, type Router } from '../lib/openapi.ts';
import { registerDeletePlayback } from './playback/delete-playback.ts';
import { registerGetStreams } from './playback/get-streams.ts';
import { registerPostPlayback } from './playback/post-playback.ts';

export function playbackRouter(): Router {
  const router = createRouter();
  registerPostPlayback(router);
  registerGetStreams(router);
  registerDeletePlayback(router);
  return router;
}
