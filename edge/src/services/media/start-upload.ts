// Starting a source upload: checks the declared size and type against the
// limits before anything exists, opens the S3 multipart upload, then records
// the asset (new, or version N+1 of an existing one) and answers presigned
// part URLs. If the database refuses (owner missing, upload in flight), the
// multipart upload is aborted again: no orphan is left in the bucket.
import { auditEntry } from '../../../../db/sql/audit.ts';
import { createUploadAsset, getUpload, sourceKeyOf, startReplacement, type AssetOwner, type UploadRow } from '../../../../db/sql/uploads.ts';
import { ApiError } from '../../lib/errors.ts';
import { partCountFor, partSizeFor } from '../../lib/uploads-config.ts';
import type { MediaDeps } from './deps.ts';

export interface StartUploadInput {
  /** A new asset for this owner, or... */
  owner?: AssetOwner;
  /** ...a new source (version) for this existing asset. */
  assetId?: string;
  filename: string;
  sizeBytes: number;
  contentType: string;
}

export interface UploadSession {
  assetId: string;
  version: number;
  status: string;
  sizeBytes: number;
  partSize: number;
  partCount: number;
  /** Parts already in the bucket (resume). */
  uploadedParts: { partNumber: number; etag: string; size: number }[];
  /** Presigned PUT URLs for the parts still missing. */
  parts: { partNumber: number; url: string }[];
  urlsExpireAt: string;
}

export async function startUpload(deps: MediaDeps, input: StartUploadInput): Promise<UploadSession> {
  const contentType = input.contentType.toLowerCase();
  if (input.sizeBytes > deps.uploads.maxBytes) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `The source is larger than the ${deps.uploads.maxBytes}-byte limit`, { details: { maxBytes: deps.uploads.maxBytes } });
  }
  if (!deps.uploads.contentTypes.includes(contentType)) {
    throw new ApiError('VALIDATION_FAILED', `Invalid request: body.contentType: must be one of ${deps.uploads.contentTypes.join(', ')}`, {
      details: { issues: [{ path: 'body.contentType', code: 'invalid_value', message: `must be one of ${deps.uploads.contentTypes.join(', ')}` }] },
    });
  }
  const assetId = input.assetId ?? crypto.randomUUID();
  let version = 1;
  if (input.assetId) {
    const [current] = await deps.db.run(getUpload(input.assetId));
    if (!current) throw new ApiError('NOT_FOUND', 'No such video asset');
    // The key names the version: open the upload under the one the asset
    // should get, and check below that the database agreed.
    version = current.version + 1;
  }
  const key = sourceKeyOf(assetId, version);
  const uploadId = await deps.multipart.create(key, contentType);
  let row: UploadRow | undefined;
  try {
    const statements = input.assetId
      ? startReplacement({ assetId, uploadId, sizeBytes: input.sizeBytes, contentType })
      : createUploadAsset({ assetId, owner: input.owner!, uploadId, sizeBytes: input.sizeBytes, contentType });
    const audit = auditEntry({
      actorUserId: deps.actor.userId,
      action: input.assetId ? 'video_asset.replace_source' : 'video_asset.upload_start',
      entityType: 'video_asset',
      entityId: assetId,
      after: { version, filename: input.filename, sizeBytes: input.sizeBytes, contentType },
      requestId: deps.actor.requestId,
    });
    const results = (await deps.db.batch([...statements, audit])) as [UploadRow[], unknown[], unknown[]];
    row = results[0][0];
    if (row && row.version !== version) row = undefined; // raced with another replacement
  } finally {
    if (!row) await deps.multipart.abort(key, uploadId).catch(() => undefined);
  }
  if (!row) {
    if (input.assetId) throw new ApiError('CONFLICT', 'This asset already has an upload or a transcode in progress; wait for it, or abort the upload', { details: { reason: 'in_progress' } });
    throw new ApiError('CONFLICT', 'No such movie, episode or title for this upload, or it already has its video (replace that asset’s source instead)', { details: { reason: 'owner' } });
  }
  return sessionFor(deps, row, []);
}

/** The session as a client sees it: what is in, and fresh URLs for what is not. */
export async function sessionFor(deps: MediaDeps, row: UploadRow, uploaded: UploadSession['uploadedParts']): Promise<UploadSession> {
  const size = row.sizeBytes ?? 0;
  const partCount = partCountFor(size);
  const have = new Set(uploaded.map((p) => p.partNumber));
  const ttl = deps.uploads.urlTtlSeconds;
  const parts: UploadSession['parts'] = [];
  if (row.status === 'uploading' && row.uploadId && row.sourceKey) {
    for (let n = 1; n <= partCount; n++) {
      if (!have.has(n)) parts.push({ partNumber: n, url: await deps.multipart.presignPart(row.sourceKey, row.uploadId, n, ttl) });
    }
  }
  return {
    assetId: row.assetId,
    version: row.version,
    status: row.status,
    sizeBytes: size,
    partSize: partSizeFor(size),
    partCount,
    uploadedParts: uploaded,
    parts,
    urlsExpireAt: new Date(Date.now() + ttl * 1000).toISOString(),
  };
}
