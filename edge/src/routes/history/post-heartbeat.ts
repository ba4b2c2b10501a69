// POST /history/heartbeat: a player's progress, every ~10 s while playing.
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { recordHeartbeat } from '../../services/viewing/history.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { viewingDeps } from './history-schemas.ts';

export const HeartbeatBody = z
  .object({
    contentId: z.uuid(),
    episodeId: z.uuid().optional().openapi({ description: 'For a series: the episode playing.' }),
    positionSeconds: z.number().min(0).max(100_000),
    durationSeconds: z.number().positive().max(100_000).optional().openapi({ description: 'The player’s idea of the length; the server’s wins when it knows it.' }),
    playbackSessionId: z.uuid().optional().openapi({ description: 'From POST /playback: the heartbeat also keeps the stream’s slot.' }),
  })
  .strict()
  .openapi('Heartbeat');

export const postHeartbeatRoute = createRoute({
  method: 'post',
  path: '/history/heartbeat',
  tags: ['history'],
  summary: 'Report playback progress',
  description:
    'Send every ~10 s while playing, and on pause/stop. Buffered in Redis and written to the database in batches; reads see it at once. ' +
    'With `playbackSessionId` it renews the stream’s lease: `409 stream_stopped` means the stream was ended elsewhere, stop playing.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { body: { required: true, content: { 'application/json': { schema: HeartbeatBody } } } },
  responses: {
    202: { description: 'Recorded.', content: { 'application/json': { schema: z.object({ state: z.string(), resumeSeconds: z.number() }) } } },
    400: errorResponse('VALIDATION_FAILED'),
    401: errorResponse('UNAUTHORIZED'),
    404: errorResponse('NOT_FOUND: no such title or episode for this profile.'),
    409: errorResponse('CONFLICT: `profile_required`, or `stream_stopped`.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPostHeartbeat(app: Router): void {
  app.openapi(postHeartbeatRoute, async (c) => c.json(await recordHeartbeat(viewingDeps(c), currentAuth(c), c.req.valid('json')), 202));
}
