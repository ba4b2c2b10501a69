// POST /admin/uploads/{assetId}/complete: join the parts and queue the transcode.
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { MAX_PARTS } from '../../lib/uploads-config.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { completeUpload } from '../../services/media/complete-upload.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { AssetIdParams, mediaDeps } from './schemas.ts';

export const CompleteUploadBody = z
  .object({
    parts: z
      .array(z.object({ partNumber: z.number().int().min(1).max(MAX_PARTS), etag: z.string().min(1).max(200) }).strict())
      .min(1)
      .max(MAX_PARTS)
      .openapi({ description: 'Every part, in order, with the ETag its PUT answered.' }),
  })
  .strict()
  .openapi('CompleteUploadRequest');

const Completed = z.object({ assetId: z.uuid(), version: z.number().int(), status: z.string(), jobId: z.uuid().nullable() }).openapi('CompletedUpload');

export const postUploadCompleteRoute = createRoute({
  method: 'post',
  path: '/admin/uploads/{assetId}/complete',
  tags: ['media'],
  summary: 'Complete an upload',
  description:
    'Editors. Checks the parts against the declared size and part count, completes the multipart upload, and in one ' +
    'transaction moves the asset to `queued` and enqueues the transcode job. Completing again answers the current state and enqueues nothing (jobId null).',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: AssetIdParams, body: { required: true, content: { 'application/json': { schema: CompleteUploadBody } } } },
  responses: {
    200: { description: 'Queued (or its current state).', content: { 'application/json': { schema: Completed } } },
    400: errorResponse('VALIDATION_FAILED: not parts 1..N in order.'),
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: not an editor.'),
    404: errorResponse('NOT_FOUND: no such upload.'),
    409: errorResponse('CONFLICT: `parts_missing`, `size_mismatch`, or `aborted`.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPostUploadComplete(app: Router): void {
  app.openapi(postUploadCompleteRoute, async (c) => c.json(await completeUpload(mediaDeps(c), c.req.valid('param').assetId, c.req.valid('json').parts), 200));
}
