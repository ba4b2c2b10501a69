// GET /admin/uploads/{assetId}: resume an upload (parts in the bucket, fresh URLs for the rest).
import { createRoute } from '@hono/zod-openapi';
import { getUpload } from '../../../../db/sql/uploads.ts';
import { ApiError, errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { sessionFor } from '../../services/media/start-upload.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { AssetIdParams, mediaDeps, UploadSessionSchema } from './schemas.ts';

export const getUploadRoute = createRoute({
  method: 'get',
  path: '/admin/uploads/{assetId}',
  tags: ['media'],
  summary: 'Resume an upload',
  description: 'Editors. Lists the parts already in the bucket and answers fresh presigned URLs for the missing ones (after a dropped connection or expired URLs).',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  request: { params: AssetIdParams },
  responses: {
    200: { description: 'Upload session.', content: { 'application/json': { schema: UploadSessionSchema } } },
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: not an editor.'),
    404: errorResponse('NOT_FOUND: no upload in progress for this asset.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerGetUpload(app: Router): void {
  app.openapi(getUploadRoute, async (c) => {
    const deps = mediaDeps(c);
    const [row] = await deps.db.run(getUpload(c.req.valid('param').assetId));
    if (!row || row.status !== 'uploading' || !row.uploadId || !row.sourceKey) throw new ApiError('NOT_FOUND', 'No upload in progress for this asset');
    return c.json(await sessionFor(deps, row, await deps.multipart.listParts(row.sourceKey, row.uploadId)), 200);
  });
}
