// Aborting an upload: the rows first (a new asset disappears, a replacement
// goes back to the version it had), then the multipart upload, so a crash in
// between leaves at worst unreferenced parts that S3 lifecycle rules expire
// (documented), never an asset pointing at nothing.
import { auditEntry } from '../../../../db/sql/audit.ts';
import { abortUploadRows, getUpload } from '../../../../db/sql/uploads.ts';
import { ApiError } from '../../lib/errors.ts';
import type { MediaDeps } from './deps.ts';

export async function abortUpload(deps: MediaDeps, assetId: string): Promise<{ outcome: 'deleted' | 'reverted' }> {
  const [row] = await deps.db.run(getUpload(assetId));
  if (!row || row.status !== 'uploading' || !row.uploadId || !row.sourceKey) throw new ApiError('NOT_FOUND', 'No upload in progress for this asset');
  const [result] = (await deps.db.batch([
    abortUploadRows(assetId, row.uploadId),
    auditEntry({ actorUserId: deps.actor.userId, action: 'video_asset.upload_abort', entityType: 'video_asset', entityId: assetId, before: { version: row.version }, requestId: deps.actor.requestId }),
  ])) as [{ outcome: 'deleted' | 'reverted' }[], unknown[]];
  if (!result[0]) throw new ApiError('NOT_FOUND', 'No upload in progress for this asset');
  await deps.multipart.abort(row.sourceKey, row.uploadId);
  return { outcome: result[0].outcome };
}
