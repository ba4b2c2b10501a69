// GET /admin/assets/{assetId}: one asset with its versions, renditions, tracks and jobs.
import { createRoute, z } from '@hono/zod-openapi';
import { getAssetDetail, listJobs } from '../../../../db/sql/media-admin.ts';
import { ApiError, errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { AssetSummarySchema, toAssetSummary } from './get-assets.ts';
import { JobSchema, toJob } from './get-jobs.ts';
import { AssetIdParams } from './schemas.ts';

const AssetDetailSchema = AssetSummarySchema.extend({
  versions: z.array(
    z.object({
      version: z.number().int(),
      durationSeconds: z.number().nullable(),
      readyAt: z.string().nullable(),
      publishedAt: z.string().nullable(),
      renditions: z.array(z.object({ width: z.number(), height: z.number(), bitrate: z.number(), codec: z.string() })),
      audioTracks: z.array(z.object({ lang: z.string(), label: z.string().nullable(), codec: z.string(), channels: z.number(), isDefault: z.boolean() })),
      subtitleTracks: z.array(z.object({ lang: z.string(), label: z.string().nullable(), kind: z.string(), isDefault: z.boolean() })),
    }),
  ),
  jobs: z.array(JobSchema),
}).openapi('VideoAssetDetail');

export const getAssetRoute = createRoute({
  method: 'get',
  path: '/admin/assets/{assetId}',
  tags: ['media'],
  summary: 'A video asset in detail',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  request: { params: AssetIdParams },
  responses: {
    200: { description: 'The asset.', content: { 'application/json': { schema: AssetDetailSchema } } },
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: not an editor.'),
    404: errorResponse('NOT_FOUND'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerGetAsset(app: Router): void {
  app.openapi(getAssetRoute, async (c) => {
    const { assetId } = c.req.valid('param');
    const [[asset], jobs] = await Promise.all([
      c.get('services').db.run(getAssetDetail(assetId)),
      c.get('services').db.run(listJobs({ status: null, subjectId: assetId, before: null, limit: 20 })),
    ]);
    if (!asset) throw new ApiError('NOT_FOUND', 'No such video asset');
    const { cursorAt: _c, versions, ...summary } = asset;
    return c.json({ ...toAssetSummary(summary), versions, jobs: jobs.map(toJob) }, 200);
  });
}
