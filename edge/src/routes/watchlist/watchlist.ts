// PUT/DELETE /watchlist/{contentId} and GET /watchlist for the active profile.
import { createRoute, z } from '@hono/zod-openapi';
import { addToWatchlist, listWatchlist, removeFromWatchlist } from '../../../../db/sql/watchlist.ts';
import { CursorSchema, page } from '../../lib/cursor.ts';
import { ApiError, errorResponse } from '../../lib/errors.ts';
import { resolveLanguage } from '../../lib/language.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { profileOf } from '../../services/viewing/history.ts';
import { bearerSecurity } from '../auth/schemas.ts';

const Params = z.object({ contentId: z.uuid().openapi({ param: { name: 'contentId', in: 'path' } }) });
const errors = { 400: errorResponse('VALIDATION_FAILED'), 401: errorResponse('UNAUTHORIZED'), 409: errorResponse('CONFLICT: `profile_required`.'), 429: errorResponse('RATE_LIMITED') };

export const putWatchlistRoute = createRoute({
  method: 'put',
  path: '/watchlist/{contentId}',
  tags: ['watchlist'],
  summary: 'Add to the watchlist',
  description: 'Idempotent: adding again keeps the original position in the list.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: Params },
  responses: { 200: { description: 'In the list.', content: { 'application/json': { schema: z.object({ contentId: z.uuid(), addedAt: z.string() }) } } }, 404: errorResponse('NOT_FOUND: no such title for this profile.'), ...errors },
});

export const deleteWatchlistRoute = createRoute({
  method: 'delete',
  path: '/watchlist/{contentId}',
  tags: ['watchlist'],
  summary: 'Remove from the watchlist',
  description: 'Idempotent: removing a title that is not in the list is fine.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: Params },
  responses: { 204: { description: 'Not in the list.' }, ...errors },
});

export const getWatchlistRoute = createRoute({
  method: 'get',
  path: '/watchlist',
  tags: ['watchlist'],
  summary: 'The watchlist',
  description: 'Most recently added first. `available` is false for a title unpublished since it was added; a title rated above the profile’s cap since is left out. `playable`: whether it has a video.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: CursorSchema.optional(), lang: z.enum(['fa', 'en']).optional() }).strict() },
  responses: {
    200: {
      description: 'One page.',
      content: { 'application/json': { schema: z.object({ items: z.array(z.object({ contentId: z.uuid(), type: z.string(), title: z.string(), addedAt: z.string(), available: z.boolean(), playable: z.boolean() })), nextCursor: z.string().nullable() }) } },
    },
    ...errors,
  },
});

export function registerWatchlist(app: Router): void {
  app.openapi(putWatchlistRoute, async (c) => {
    const auth = currentAuth(c);
    const { contentId } = c.req.valid('param');
    const [row] = await c.get('services').db.run(addToWatchlist({ profileId: profileOf(auth), contentId, cap: auth.maturityCap }));
    if (!row) throw new ApiError('NOT_FOUND', 'No such title');
    return c.json({ contentId, addedAt: new Date(row.addedAt).toISOString() }, 200);
  });
  app.openapi(deleteWatchlistRoute, async (c) => {
    await c.get('services').db.run(removeFromWatchlist(profileOf(currentAuth(c)), c.req.valid('param').contentId));
    return c.body(null, 204);
  });
  app.openapi(getWatchlistRoute, async (c) => {
    const auth = currentAuth(c);
    const q = c.req.valid('query');
    const rows = await c.get('services').db.run(listWatchlist({ profileId: profileOf(auth), cap: auth.maturityCap, lang: resolveLanguage(c), before: q.cursor ?? null, limit: q.limit + 1 }));
    const { items, nextCursor } = page(rows, q.limit);
    return c.json({ items: items.map((r) => ({ contentId: r.id, type: r.type, title: r.title, addedAt: new Date(r.addedAt).toISOString(), available: r.available, playable: r.playable })), nextCursor }, 200);
  });
}
