// GET /playback/streams: the account's active streams (what the limit counts).
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { listStreams } from '../../services/playback/streams.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { StreamSchema } from './playback-schemas.ts';

export const getStreamsRoute = createRoute({
  method: 'get',
  path: '/playback/streams',
  tags: ['playback'],
  summary: 'List active streams',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  responses: {
    200: { description: 'Active streams, oldest first.', content: { 'application/json': { schema: z.object({ streams: z.array(StreamSchema) }) } } },
    401: errorResponse('UNAUTHORIZED'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerGetStreams(app: Router): void {
  app.openapi(getStreamsRoute, async (c) => c.json({ streams: await listStreams(c.get('services').redis, currentAuth(c).userId) }, 200));
}
