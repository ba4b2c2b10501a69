// DELETE /playback/{id}: stop a stream of the account (frees its slot at once).
import { createRoute } from '@hono/zod-openapi';
import { ApiError, errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { stopStream } from '../../services/playback/streams.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { PlaybackSessionIdParams } from './playback-schemas.ts';

export const deletePlaybackRoute = createRoute({
  method: 'delete',
  path: '/playback/{id}',
  tags: ['playback'],
  summary: 'Stop a stream',
  description: 'Ends one of the account’s playback sessions, e.g. when the player closes. Its next progress heartbeat answers that the stream was stopped.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: PlaybackSessionIdParams },
  responses: {
    204: { description: 'Stopped.' },
    401: errorResponse('UNAUTHORIZED'),
    404: errorResponse('NOT_FOUND: no such active stream on this account.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerDeletePlayback(app: Router): void {
  app.openapi(deletePlaybackRoute, async (c) => {
    if (!(await stopStream(c.get('services').redis, currentAuth(c).userId, c.req.valid('param').id))) throw new ApiError('NOT_FOUND', 'No such stream');
    return c.body(null, 204);
  });
}
