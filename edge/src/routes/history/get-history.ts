// GET /history, GET /history/continue and GET /history/item for the active profile.
import { createRoute, z } from '@hono/zod-openapi';
import { CursorSchema, page } from '../../lib/cursor.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { continueWatching, historyPage, profileOf, progressOf } from '../../services/viewing/history.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { HistoryItemSchema, ItemQuery, viewingDeps } from './history-schemas.ts';

const errors = { 400: errorResponse('VALIDATION_FAILED'), 401: errorResponse('UNAUTHORIZED'), 409: errorResponse('CONFLICT: `profile_required`.'), 429: errorResponse('RATE_LIMITED') };

export const getHistoryRoute = createRoute({
  tags: ['history'],
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  method: 'get',
  path: '/history',
  summary: 'Watch history',
  description: 'The active profile’s history, most recently watched first, with the latest position (also progress not yet written to the database).',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: CursorSchema.optional() }).strict() },
  responses: { 200: { description: 'One page.', content: { 'application/json': { schema: z.object({ items: z.array(HistoryItemSchema), nextCursor: z.string().nullable() }) } } }, ...errors },
});

export const getContinueRoute = createRoute({
  tags: ['history'],
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  method: 'get',
  path: '/history/continue',
  summary: 'Continue watching',
  description: 'Titles in progress (between RESUME_MIN_PERCENT and RESUME_MAX_PERCENT), and for a finished episode the next one of its series.',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(20) }).strict() },
  responses: {
    200: { description: 'Rails items.', content: { 'application/json': { schema: z.object({ items: z.array(HistoryItemSchema.extend({ reason: z.enum(['resume', 'next_episode']) })) }) } } },
    ...errors,
  },
});

export const getHistoryItemRoute = createRoute({
  tags: ['history'],
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  method: 'get',
  path: '/history/item',
  summary: 'Progress of one title',
  request: { query: ItemQuery },
  responses: { 200: { description: 'The item, or null when never watched.', content: { 'application/json': { schema: z.object({ item: HistoryItemSchema.nullable() }) } } }, ...errors },
});

export function registerGetHistory(app: Router): void {
  app.openapi(getHistoryRoute, async (c) => {
    const q = c.req.valid('query');
    const { items, rows } = await historyPage(viewingDeps(c), currentAuth(c), q.cursor ?? null, q.limit);
    return c.json({ items, nextCursor: page(rows, q.limit).nextCursor }, 200);
  });
  app.openapi(getContinueRoute, async (c) => c.json({ items: await continueWatching(viewingDeps(c), currentAuth(c), c.req.valid('query').limit) }, 200));
  app.openapi(getHistoryItemRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json({ item: await progressOf(viewingDeps(c), profileOf(currentAuth(c)), { contentId: q.contentId, episodeId: q.episodeId ?? null }) }, 200);
  });
}
