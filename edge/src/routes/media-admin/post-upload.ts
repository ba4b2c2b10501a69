// POST /admin/uploads: start uploading a source (new asset, or a new version of one).
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { startUpload } from '../../services/media/start-upload.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { mediaDeps, UploadSessionSchema } from './schemas.ts';

const Owner = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('movie'), contentId: z.uuid() }).strict(),
  z.object({ kind: z.literal('episode'), episodeId: z.uuid() }).strict(),
  z.object({ kind: z.literal('trailer'), contentId: z.uuid() }).strict(),
]);

export const PostUploadBody = z
  .object({
    owner: Owner.optional().openapi({ description: 'For a new asset: the movie, episode or title (trailer) the video belongs to.' }),
    assetId: z.uuid().optional().openapi({ description: 'For a new source of an existing asset (replace): its id. The published version keeps playing until the new one is ready.' }),
    filename: z.string().trim().min(1).max(255),
    sizeBytes: z.number().int().min(1),
    contentType: z.string().min(3).max(100).openapi({ example: 'video/mp4' }),
  })
  .strict()
  .refine((b) => (b.owner === undefined) !== (b.assetId === undefined), { message: 'give exactly one of owner (new asset) or assetId (replace the source)', path: ['owner'] })
  .openapi('StartUploadRequest');

export const postUploadRoute = createRoute({
  method: 'post',
  path: '/admin/uploads',
  tags: ['media'],
  summary: 'Start a source upload',
  description:
    'Editors. Creates the asset (or version N+1 of it) and an S3 multipart upload, and answers presigned part URLs: ' +
    'the bytes go straight to the bucket. Size and type are checked against UPLOAD_MAX_BYTES and UPLOAD_CONTENT_TYPES before anything is created.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { body: { required: true, content: { 'application/json': { schema: PostUploadBody } } } },
  responses: {
    201: { description: 'Upload session.', content: { 'application/json': { schema: UploadSessionSchema } } },
    400: errorResponse('VALIDATION_FAILED: e.g. a content type that is not allowed.'),
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: not an editor.'),
    404: errorResponse('NOT_FOUND: no such asset (replace).'),
    409: errorResponse('CONFLICT: the owner does not exist or already has its video; or an upload/transcode of the asset is in progress.'),
    413: errorResponse('PAYLOAD_TOO_LARGE: larger than UPLOAD_MAX_BYTES.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPostUpload(app: Router): void {
  app.openapi(postUploadRoute, async (c) => c.json(await startUpload(mediaDeps(c), c.req.valid('json')), 201));
}
