// Shared schemas and dependencies of the editors' media routes (issue 5).
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { usable } from '../../env.ts';
import { ApiError } from '../../lib/errors.ts';
import { createMultipartStore } from '../../lib/s3-multipart.ts';
import type { MediaDeps } from '../../services/media/deps.ts';
import type { AppEnv } from '../../types.ts';
import { currentAuth } from '../../middleware/auth.ts';

export const AssetIdParams = z.object({ assetId: z.uuid().openapi({ param: { name: 'assetId', in: 'path' } }) });
export const JobIdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const UploadSessionSchema = z
  .object({
    assetId: z.uuid(),
    version: z.number().int(),
    status: z.string(),
    sizeBytes: z.number().int(),
    partSize: z.number().int().openapi({ description: 'Every part but the last has exactly this many bytes.' }),
    partCount: z.number().int(),
    uploadedParts: z.array(z.object({ partNumber: z.number().int(), etag: z.string(), size: z.number().int() })),
    parts: z.array(z.object({ partNumber: z.number().int(), url: z.url() })).openapi({ description: 'PUT each part’s bytes to its URL; keep the ETag response header.' }),
    urlsExpireAt: z.string(),
  })
  .openapi('UploadSession');

export function mediaDeps(c: Context<AppEnv>): MediaDeps {
  const store = usable(c.get('config').objectStore);
  // Presigned part URLs need the S3 API (R2's S3 endpoint in production).
  if (store.kind !== 's3') throw new ApiError('CONFIG_INVALID', 'Invalid configuration: uploads need S3_ENDPOINT, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (R2’s S3 API)');
  return {
    db: c.get('services').db,
    store: c.get('services').objectStore,
    multipart: createMultipartStore(store),
    uploads: usable(c.get('config').uploads),
    actor: { userId: currentAuth(c).userId, requestId: c.get('requestId') },
  };
}
