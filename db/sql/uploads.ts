// Source uploads for video assets (issue 5, edge side). An upload is the
// working version of an asset in status 'uploading' with an open S3 multipart
// upload (video_assets.upload_id). Completing it moves the asset to 'queued'
// and enqueues the transcode job in the same batch (see completeUpload in
// edge/src/services/media/complete-upload.ts); replacing a source starts
// version N+1 while published_version keeps serving.
import { sql, type Statement } from './statement.ts';

export type AssetOwner = { kind: 'movie'; contentId: string } | { kind: 'episode'; episodeId: string } | { kind: 'trailer'; contentId: string };

export interface UploadRow {
  assetId: string;
  version: number;
  status: string;
  uploadId: string | null;
  sourceKey: string | null;
  sizeBytes: number | null;
  contentType: string | null;
  publishedVersion: number | null;
}

const UPLOAD_COLUMNS = `id AS "assetId", version, status, upload_id AS "uploadId", source_key AS "sourceKey",
  source_size_bytes::float8 AS "sizeBytes", source_content_type AS "contentType", published_version AS "publishedVersion"`;

export const sourceKeyOf = (assetId: string, version: number) => `uploads/${assetId}/v${version}/source`;
export const versionPrefixOf = (assetId: string, version: number) => `assets/${assetId}/v${version}/`;

/**
 * A new asset for `owner`, version 1, 'uploading'. No row when the owner does
 * not exist (or is not of that kind), or when the movie or episode already has
 * its video (then replace that asset's source instead): 23505 is caught by the
 * WHERE NOT EXISTS, not raised.
 */
export function createUploadAsset(input: { assetId: string; owner: AssetOwner; uploadId: string; sizeBytes: number; contentType: string }): Statement[] {
  const { owner } = input;
  const column = owner.kind === 'movie' ? 'movie_id' : owner.kind === 'episode' ? 'episode_id' : 'trailer_of_content_id';
  const ownerId = owner.kind === 'episode' ? owner.episodeId : owner.contentId;
  const ownerExists =
    owner.kind === 'episode'
      ? `EXISTS (SELECT 1 FROM episodes WHERE id = $2::uuid)`
      : owner.kind === 'movie'
        ? `EXISTS (SELECT 1 FROM content WHERE id = $2::uuid AND type = 'movie')`
        : `EXISTS (SELECT 1 FROM content WHERE id = $2::uuid)`;
  const oneVideo = owner.kind === 'trailer' ? 'true' : `NOT EXISTS (SELECT 1 FROM video_assets WHERE ${column} = $2::uuid)`;
  return [
    sql(
      `INSERT INTO video_assets (id, ${column}, status, upload_id, source_key, source_size_bytes, source_content_type)
       SELECT $1::uuid, $2::uuid, 'uploading', $3, $4, $5::bigint, $6
       WHERE ${ownerExists} AND ${oneVideo}
       RETURNING ${UPLOAD_COLUMNS}`,
      [input.assetId, ownerId, input.uploadId, sourceKeyOf(input.assetId, 1), input.sizeBytes, input.contentType],
    ),
    sql(
      `INSERT INTO video_asset_versions (asset_id, version, source_key, storage_prefix)
       SELECT id, 1, source_key, $2 FROM video_assets WHERE id = $1::uuid
       RETURNING asset_id`,
      [input.assetId, versionPrefixOf(input.assetId, 1)],
    ),
  ];
}

/**
 * Replacing the source of an existing asset: version N+1, 'uploading'. Only
 * when no upload or transcode of it is in flight (uploading, queued,
 * processing, playable): no row otherwise. published_version is untouched, so
 * viewers keep the current outputs until the new version is ready.
 */
export function startReplacement(input: { assetId: string; uploadId: string; sizeBytes: number; contentType: string }): Statement[] {
  return [
    sql(
      `UPDATE video_assets
       SET version = version + 1, status = 'uploading', progress = 0, current_step = NULL, failure_reason = NULL,
           upload_id = $2, source_key = 'uploads/' || id || '/v' || (version + 1) || '/source',
           source_size_bytes = $3::bigint, source_content_type = $4
       WHERE id = $1::uuid AND status IN ('ready', 'failed', 'cancelled')
       RETURNING ${UPLOAD_COLUMNS}`,
      [input.assetId, input.uploadId, input.sizeBytes, input.contentType],
    ),
    sql(
      `INSERT INTO video_asset_versions (asset_id, version, source_key, storage_prefix)
       SELECT id, version, source_key, 'assets/' || id || '/v' || version || '/' FROM video_assets
       WHERE id = $1::uuid AND status = 'uploading' AND upload_id = $2
       ON CONFLICT (asset_id, version) DO NOTHING
       RETURNING asset_id`,
      [input.assetId, input.uploadId],
    ),
  ];
}

export function getUpload(assetId: string): Statement<UploadRow> {
  return sql(`SELECT ${UPLOAD_COLUMNS} FROM video_assets WHERE id = $1::uuid`, [assetId]);
}

export const UPLOAD_NOT_OPEN = 'upload is no longer open';

/**
 * The upload is in the bucket: the asset goes to 'queued' (closing the
 * multipart upload id). Run it FIRST in one batch with enqueueJob's
 * statements: when the asset is not 'uploading' with that upload id any more
 * (a concurrent complete won, or an abort), it raises UPLOAD_NOT_OPEN and the
 * whole batch, job included, rolls back. So a job is enqueued exactly once,
 * and never without the asset moving to 'queued'.
 */
export function markUploaded(assetId: string, uploadId: string): Statement<{ ok: boolean }> {
  return sql(
    `WITH marked AS (
       UPDATE video_assets SET status = 'queued', upload_id = NULL, current_step = 'waiting for a worker'
       WHERE id = $1::uuid AND status = 'uploading' AND upload_id = $2
       RETURNING id
     )
     SELECT assert_true(EXISTS (SELECT 1 FROM marked), '${UPLOAD_NOT_OPEN}') AS ok`,
    [assetId, uploadId],
  );
}

/**
 * Abort: a first version that never had outputs is deleted with its version
 * row; a replacement goes back to the previous version as it was ('ready' when
 * one is published, else 'cancelled'). No row when nothing was uploading.
 */
export function abortUploadRows(assetId: string, uploadId: string): Statement<{ assetId: string; outcome: 'deleted' | 'reverted' }> {
  return sql(
    `WITH target AS (
       SELECT id, version, published_version FROM video_assets
       WHERE id = $1::uuid AND status = 'uploading' AND upload_id = $2
       FOR UPDATE
     ), dropped_version AS (
       DELETE FROM video_asset_versions v USING target
       WHERE v.asset_id = target.id AND v.version = target.version AND target.version > 1
       RETURNING v.asset_id
     ), deleted AS (
       DELETE FROM video_assets a USING target WHERE a.id = target.id AND target.version = 1 RETURNING a.id
     ), reverted AS (
       UPDATE video_assets a
       SET version = target.version - 1, upload_id = NULL,
           status = CASE WHEN target.published_version IS NOT NULL THEN 'ready' ELSE 'cancelled' END,
           source_key = 'uploads/' || a.id || '/v' || (target.version - 1) || '/source',
           source_size_bytes = NULL, source_content_type = NULL, current_step = NULL
       FROM target WHERE a.id = target.id AND target.version > 1
       RETURNING a.id
     )
     SELECT $1::uuid AS "assetId", CASE WHEN EXISTS (SELECT 1 FROM deleted) THEN 'deleted' ELSE 'reverted' END AS outcome
     FROM target`,
    [assetId, uploadId],
  );
}

export interface SubtitleUploadRow {
  version: number;
  lang: string;
  kind: string;
  label: string | null;
  isDefault: boolean;
  storageKey: string;
}

export const SUBTITLES_TOO_LATE = 'subtitles can only be added before the version is transcoded';

/**
 * Records an uploaded WebVTT track on the asset's working version. Only while
 * that version has not been packaged yet (uploading, queued, failed): the
 * packager puts subtitles into the manifests. Marking it default clears the
 * other default of the version in the same statement. Raises
 * SUBTITLES_TOO_LATE otherwise (and for a missing asset, checked first).
 */
export function upsertSubtitleTrack(input: { assetId: string; lang: string; kind: 'subtitles' | 'captions' | 'forced'; label: string | null; isDefault: boolean; storageKey: string; version: number }): Statement<any>[] {
  return [
    sql(
      `SELECT assert_true(EXISTS (SELECT 1 FROM video_assets WHERE id = $1::uuid AND version = $2::int AND status IN ('uploading', 'queued', 'failed')), '${SUBTITLES_TOO_LATE}') AS ok`,
      [input.assetId, input.version],
    ),
    sql(`UPDATE subtitle_tracks SET is_default = false WHERE asset_id = $1::uuid AND version = $2::int AND $3::boolean AND is_default AND NOT (lang = $4 AND kind = $5)`, [
      input.assetId,
      input.version,
      input.isDefault,
      input.lang,
      input.kind,
    ]),
    sql<SubtitleUploadRow>(
      `INSERT INTO subtitle_tracks (asset_id, version, lang, kind, label, is_default, storage_key, format)
       VALUES ($1::uuid, $2::int, $3, $4, $5, $6, $7, 'webvtt')
       ON CONFLICT (asset_id, version, lang, kind) DO UPDATE SET label = EXCLUDED.label, is_default = EXCLUDED.is_default, storage_key = EXCLUDED.storage_key
       RETURNING version, lang, kind, label, is_default AS "isDefault", storage_key AS "storageKey"`,
      [input.assetId, input.version, input.lang, input.kind, input.label, input.isDefault, input.storageKey],
    ),
  ];
}
