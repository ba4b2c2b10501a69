// Completing an upload: the parts in the bucket must add up to the declared
// size in the expected number of parts (checked with ListParts before S3 joins
// them), then S3 completes the object, and ONE batch moves the asset to
// 'queued' and enqueues the transcode job. Idempotent: a second complete of an
// asset that is already queued (or further) answers its state and enqueues
// nothing.
import { auditEntry } from '../../../../db/sql/audit.ts';
import { enqueueJob } from '../../../../db/sql/jobs.ts';
import { getUpload, markUploaded, UPLOAD_NOT_OPEN, type UploadRow } from '../../../../db/sql/uploads.ts';
import type { QueueName } from '../../../../db/queues.ts';
import { ApiError } from '../../lib/errors.ts';
import { MultipartError } from '../../lib/s3-multipart.ts';
import { partCountFor } from '../../lib/uploads-config.ts';
import type { MediaDeps } from './deps.ts';

export async function completeUpload(deps: MediaDeps, assetId: string, parts: { partNumber: number; etag: string }[]): Promise<{ assetId: string; version: number; status: string; jobId: string | null }> {
  const [row] = await deps.db.run(getUpload(assetId));
  if (!row) throw new ApiError('NOT_FOUND', 'No such upload');
  if (row.status !== 'uploading' || !row.uploadId || !row.sourceKey) {
    if (row.status === 'cancelled') throw new ApiError('CONFLICT', 'This upload was aborted', { details: { reason: 'aborted' } });
    return { assetId, version: row.version, status: row.status, jobId: null };
  }
  const expected = partCountFor(row.sizeBytes ?? 0);
  const numbers = parts.map((p) => p.partNumber);
  if (numbers.length !== expected || numbers.some((n, i) => n !== i + 1)) {
    throw new ApiError('VALIDATION_FAILED', `Invalid request: body.parts: expected parts 1 to ${expected} in order`, {
      details: { issues: [{ path: 'body.parts', code: 'custom', message: `expected parts 1 to ${expected} in order` }] },
    });
  }
  const stored = await deps.multipart.listParts(row.sourceKey, row.uploadId);
  const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
  const missing = parts.filter((p) => byNumber.get(p.partNumber)?.etag.replace(/"/g, '') !== p.etag.replace(/"/g, '')).map((p) => p.partNumber);
  if (missing.length) {
    throw new ApiError('CONFLICT', 'Some parts are not in the bucket (or their ETag differs); upload them again', { details: { reason: 'parts_missing', parts: missing } });
  }
  const total = parts.reduce((s, p) => s + byNumber.get(p.partNumber)!.size, 0);
  if (total !== row.sizeBytes) {
    throw new ApiError('CONFLICT', `The parts add up to ${total} bytes, not the declared ${row.sizeBytes}`, { details: { reason: 'size_mismatch', uploadedBytes: total } });
  }
  try {
    await deps.multipart.complete(row.sourceKey, row.uploadId, parts);
  } catch (err) {
    // A concurrent complete won the race: S3 no longer knows the upload id.
    if (!(err instanceof MultipartError && err.status === 404)) throw err;
  }
  const head = await deps.store.head(row.sourceKey);
  if (!head || head.size !== row.sizeBytes) throw new ApiError('CONFLICT', 'The uploaded object does not have the declared size', { details: { reason: 'size_mismatch' } });
  return enqueueTranscode(deps, row);
}

async function enqueueTranscode(deps: MediaDeps, row: UploadRow): Promise<{ assetId: string; version: number; status: string; jobId: string | null }> {
  const jobId = crypto.randomUUID();
  try {
    await deps.db.batch([
      markUploaded(row.assetId, row.uploadId!),
      ...enqueueJob({ id: jobId, queue: deps.uploads.transcodeQueue as QueueName, type: 'transcode', subjectType: 'video_asset', subjectId: row.assetId, data: { assetId: row.assetId, version: row.version } }),
      auditEntry({ actorUserId: deps.actor.userId, action: 'video_asset.upload_complete', entityType: 'video_asset', entityId: row.assetId, after: { version: row.version, jobId }, requestId: deps.actor.requestId }),
    ]);
  } catch (err) {
    if (!(err instanceof Error && err.message.includes(UPLOAD_NOT_OPEN))) throw err;
    // Another complete got there first (or an abort): answer the state as it is.
    const [now] = await deps.db.run(getUpload(row.assetId));
    if (now?.status === 'cancelled' || !now) throw new ApiError('CONFLICT', 'This upload was aborted', { details: { reason: 'aborted' } });
    return { assetId: row.assetId, version: now.version, status: now.status, jobId: null };
  }
  return { assetId: row.assetId, version: row.version, status: 'queued', jobId };
}
