// GET /admin/assets: video assets by recent activity, with state and progress.
import { createRoute, z } from '@hono/zod-openapi';
import { listAssets, type AssetSummaryRow } from '../../../../db/sql/media-admin.ts';
import { CursorSchema, page } from '../../lib/cursor.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { bearerSecurity } from '../auth/schemas.ts';

export const ASSET_STATUSES = ['uploading', 'queued', 'processing', 'playable', 'ready', 'failed', 'cancelled'] as const;
const MAX_PAGE = 100;

export const AssetSummarySchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['movie', 'episode', 'trailer']),
    ownerId: z.uuid(),
    status: z.enum(ASSET_STATUSES),
    progress: z.number().int(),
    currentStep: z.string().nullable(),
    failureReason: z.string().nullable().openapi({ description: 'Why the last transcode failed, in words for editors.' }),
    version: z.number().int().openapi({ description: 'The working version.' }),
    publishedVersion: z.number().int().nullable().openapi({ description: 'The version viewers get.' }),
    drmProtected: z.boolean(),
    updatedAt: z.string(),
  })
  .openapi('VideoAssetSummary');

export const toAssetSummary = (r: Omit<AssetSummaryRow, 'cursorAt'>) => ({
  ...r,
  status: r.status as (typeof ASSET_STATUSES)[number],
  updatedAt: new Date(r.updatedAt).toISOString(),
});

export const GetAssetsQuery = z
  .object({
    status: z.enum(ASSET_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(20).openapi({ description: `Page size, 1-${MAX_PAGE}.` }),
    cursor: CursorSchema.optional(),
  })
  .strict();

export const getAssetsRoute = createRoute({
  method: 'get',
  path: '/admin/assets',
  tags: ['media'],
  summary: 'List video assets',
  description: 'Editors. Most recently changed first; `nextCursor` gives the next page.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  request: { query: GetAssetsQuery },
  responses: {
    200: { description: 'One page.', content: { 'application/json': { schema: z.object({ assets: z.array(AssetSummarySchema), nextCursor: z.string().nullable() }) } } },
    400: errorResponse('VALIDATION_FAILED: unknown status, malformed cursor, page size above the cap.'),
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: not an editor.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerGetAssets(app: Router): void {
  app.openapi(getAssetsRoute, async (c) => {
    const q = c.req.valid('query');
    const rows = await c.get('services').db.run(listAssets({ status: q.status ?? null, before: q.cursor ?? null, limit: q.limit + 1 }));
    const { items, nextCursor } = page(rows, q.limit);
    return c.json({ assets: items.map(({ cursorAt: _c, ...r }) => toAssetSummary(r)), nextCursor }, 200);
  });
}
