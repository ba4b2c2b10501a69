// DELETE /admin/uploads/{assetId}: abort an upload in progress.
import { createRoute } from '@hono/zod-openapi';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { abortUpload } from '../../services/media/abort-upload.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { AssetIdParams, mediaDeps } from './schemas.ts';

export const deleteUploadRoute = createRoute({
  method: 'delete',
  path: '/admin/uploads/{assetId}',
  tags: ['media'],
  summary: 'Abort an upload',
  description: 'Editors. A new asset disappears; a replacement goes back to the version it had (still published). The parts are deleted from the bucket.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: AssetIdParams },
  responses: {
    204: { description: 'Aborted.' },
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: not an editor.'),
    404: errorResponse('NOT_FOUND: no upload in progress for this asset.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerDeleteUpload(app: Router): void {
  app.openapi(deleteUploadRoute, async (c) => {
    await abortUpload(mediaDeps(c), c.req.valid('param').assetId);
    return c.body(null, 204);
  });
}
