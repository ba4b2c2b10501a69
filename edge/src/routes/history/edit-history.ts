// PUT /history/watched, DELETE /history/item, DELETE /history for the active profile.
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { clearAllHistory, markWatched, removeFromHistory } from '../../services/viewing/history.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { HistoryItemSchema, ItemQuery, viewingDeps } from './history-schemas.ts';

const errors = { 400: errorResponse('VALIDATION_FAILED'), 401: errorResponse('UNAUTHORIZED'), 404: errorResponse('NOT_FOUND'), 409: errorResponse('CONFLICT: `profile_required`.'), 429: errorResponse('RATE_LIMITED') };

export const putWatchedRoute = createRoute({
  tags: ['history'],
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  method: 'put',
  path: '/history/watched',
  summary: 'Mark watched or unwatched',
  request: { body: { required: true, content: { 'application/json': { schema: z.object({ contentId: z.uuid(), episodeId: z.uuid().optional(), watched: z.boolean() }).strict() } } } },
  responses: { 200: { description: 'The item now.', content: { 'application/json': { schema: HistoryItemSchema } } }, ...errors },
});

export const deleteHistoryItemRoute = createRoute({
  tags: ['history'],
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  method: 'delete',
  path: '/history/item',
  summary: 'Remove a title from history',
  description: 'Also drops progress not yet written; only a newer heartbeat brings the title back.',
  request: { query: ItemQuery },
  responses: { 204: { description: 'Removed.' }, ...errors },
});

export const deleteHistoryRoute = createRoute({
  tags: ['history'],
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  method: 'delete',
  path: '/history',
  summary: 'Clear history',
  responses: { 204: { description: 'Cleared.' }, ...errors },
});

export function registerEditHistory(app: Router): void {
  app.openapi(putWatchedRoute, async (c) => {
    const b = c.req.valid('json');
    return c.json(await markWatched(viewingDeps(c), currentAuth(c), { contentId: b.contentId, episodeId: b.episodeId ?? null }, b.watched), 200);
  });
  app.openapi(deleteHistoryItemRoute, async (c) => {
    const q = c.req.valid('query');
    await removeFromHistory(viewingDeps(c), currentAuth(c), { contentId: q.contentId, episodeId: q.episodeId ?? null });
    return c.body(null, 204);
  });
  app.openapi(deleteHistoryRoute, async (c) => {
    await clearAllHistory(viewingDeps(c), currentAuth(c));
    return c.body(null, 204);
  });
}
