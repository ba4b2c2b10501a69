// Video assets as the transcode job sees them: reading the working version,
// moving its status (queued -> processing -> playable -> ready, or failed),
// and recording what a version produced. Every write names the version it is
// about (`id = $1 AND version = $2`), so a job for a version that a newer
// upload has replaced cannot touch the newer version's row.
import { sql, type Statement } from './statement.ts';

export type VideoAssetStatus = 'uploading' | 'queued' | 'processing' | 'playable' | 'ready' | 'failed' | 'cancelled';

export interface TranscodeAssetRow {
  id: string;
  version: number;
  status: VideoAssetStatus;
  sourceKey: string | null;
  drmProtected: boolean;
}

export interface AssetProgressRow {
  id: string;
  version: number;
  status: VideoAssetStatus;
  progress: number;
  currentStep: string | null;
  failureReason: string | null;
}

const PROGRESS_COLUMNS = `id, version, status, progress, current_step AS "currentStep", failure_reason AS "failureReason"`;

export function getAssetForTranscode(assetId: string): Statement<TranscodeAssetRow> {
  return sql(
    `SELECT id, version, status, source_key AS "sourceKey", drm_protected AS "drmProtected"
     FROM video_assets WHERE id = $1::uuid`,
    [assetId],
  );
}

export function getAssetProgress(assetId: string): Statement<AssetProgressRow> {
  return sql(`SELECT ${PROGRESS_COLUMNS} FROM video_assets WHERE id = $1::uuid`, [assetId]);
}

/**
 * A transcode attempt starts. An asset that is already `playable` stays so:
 * its published-early master playlist is still in the bucket and valid while
 * the retry rewrites the same keys. Anything after `uploading` may be
 * (re)processed: a retry, or an editor's retry of a failed job.
 */
export function markAssetProcessing(assetId: string, version: number, step: string): Statement<AssetProgressRow> {
  return sql(
    `UPDATE video_assets
     SET status = CASE WHEN status = 'playable' THEN 'playable' ELSE 'processing' END,
         progress = 0, current_step = left($3, 100), failure_reason = NULL
     WHERE id = $1::uuid AND version = $2::int AND status IN ('queued', 'processing', 'playable', 'ready', 'failed')
     RETURNING ${PROGRESS_COLUMNS}`,
    [assetId, version, step],
  );
}

/** Progress while processing; the status is left as it is. */
export function updateAssetProgress(assetId: string, version: number, progress: number, step: string | null): Statement<AssetProgressRow> {
  return sql(
    `UPDATE video_assets
     SET progress = LEAST(100, GREATEST(0, round($3::numeric)))::smallint, current_step = COALESCE(left($4, 100), current_step)
     WHERE id = $1::uuid AND version = $2::int AND status IN ('processing', 'playable')
     RETURNING ${PROGRESS_COLUMNS}`,
    [assetId, version, progress, step],
  );
}

export function markAssetPlayable(assetId: string, version: number, progress: number): Statement<AssetProgressRow> {
  return sql(
    `UPDATE video_assets
     SET status = 'playable', progress = LEAST(100, GREATEST(0, round($3::numeric)))::smallint, current_step = 'encoding the other renditions'
     WHERE id = $1::uuid AND version = $2::int AND status IN ('processing', 'playable')
     RETURNING ${PROGRESS_COLUMNS}`,
    [assetId, version, progress],
  );
}

/**
 * All outputs are in: the version becomes the one playback serves
 * (published_version), replacing the previous version only now, so viewers
 * never see a half-transcoded replacement. Run after recordVersionOutputs
 * with ready: true (published_at needs ready_at).
 */
export function markAssetReady(assetId: string, version: number): Statement<AssetProgressRow> {
  return sql(
    `WITH published AS (
       UPDATE video_asset_versions SET published_at = COALESCE(published_at, now())
       WHERE asset_id = $1::uuid AND version = $2::int AND ready_at IS NOT NULL
       RETURNING version
     )
     UPDATE video_assets
     SET status = 'ready', progress = 100, current_step = 'done', failure_reason = NULL,
         published_version = COALESCE((SELECT version FROM published), published_version)
     WHERE id = $1::uuid AND version = $2::int AND status IN ('processing', 'playable')
     RETURNING ${PROGRESS_COLUMNS}`,
    [assetId, version],
  );
}

/** The short reason is shown to editors; the full command line and stderr are in the worker's log. */
export function markAssetFailed(assetId: string, version: number, reason: string): Statement<AssetProgressRow> {
  return sql(
    `UPDATE video_assets
     SET status = 'failed', failure_reason = left(COALESCE(NULLIF($3, ''), 'transcoding failed'), 2000), current_step = 'failed'
     WHERE id = $1::uuid AND version = $2::int AND status IN ('queued', 'processing', 'playable', 'ready')
     RETURNING ${PROGRESS_COLUMNS}`,
    [assetId, version, reason],
  );
}

/** The version row every output hangs off; a retry keeps what is already recorded (subtitles, keys). */
export function upsertAssetVersion(assetId: string, version: number, sourceKey: string, storagePrefix: string): Statement<{ assetId: string }> {
  return sql(
    `INSERT INTO video_asset_versions (asset_id, version, source_key, storage_prefix)
     VALUES ($1::uuid, $2::int, $3, $4)
     ON CONFLICT (asset_id, version) DO UPDATE SET source_key = EXCLUDED.source_key, storage_prefix = EXCLUDED.storage_prefix
     RETURNING asset_id AS "assetId"`,
    [assetId, version, sourceKey, storagePrefix],
  );
}

export interface VersionOutputs {
  durationSeconds: number;
  hlsManifestKey: string;
  dashManifestKey: string;
  posterKey: string | null;
  storyboardKey: string | null;
  /** Set when every output is in: the version can be published. */
  ready: boolean;
}

export function recordVersionOutputs(assetId: string, version: number, o: VersionOutputs): Statement<{ assetId: string }> {
  return sql(
    `UPDATE video_asset_versions
     SET duration_seconds = round($3::numeric, 3), hls_manifest_key = $4, dash_manifest_key = $5,
         poster_key = $6, storyboard_key = $7, ready_at = CASE WHEN $8::boolean THEN COALESCE(ready_at, now())
                         -- a retry of a version that is already published keeps it ready
                         WHEN published_at IS NOT NULL THEN ready_at ELSE NULL END
     WHERE asset_id = $1::uuid AND version = $2::int
     RETURNING asset_id AS "assetId"`,
    [assetId, version, o.durationSeconds, o.hlsManifestKey, o.dashManifestKey, o.posterKey, o.storyboardKey, o.ready],
  );
}

export interface RenditionInput {
  height: number;
  width: number;
  bitrate: number;
  codec: 'h264';
  frameRate: number;
  storageKey: string;
}

export interface RenditionRow extends RenditionInput {
  id: string;
}

/** Set-based upsert on the rung's natural key, so a retried job adds no duplicates. */
export function upsertRenditions(assetId: string, version: number, rows: readonly RenditionInput[]): Statement<RenditionRow> {
  return sql(
    `INSERT INTO renditions (asset_id, version, height, width, bitrate, codec, frame_rate, storage_key)
     SELECT $1::uuid, $2::int, r.height, r.width, r.bitrate, r.codec, round(r.frame_rate, 3), r.storage_key
     FROM unnest($3::smallint[], $4::smallint[], $5::int[], $6::text[], $7::numeric[], $8::text[])
       AS r(height, width, bitrate, codec, frame_rate, storage_key)
     ON CONFLICT ON CONSTRAINT renditions_rung_unique
       DO UPDATE SET width = EXCLUDED.width, frame_rate = EXCLUDED.frame_rate, storage_key = EXCLUDED.storage_key
     RETURNING id, height, width, bitrate, codec, frame_rate::float8 AS "frameRate", storage_key AS "storageKey"`,
    [assetId, version, rows.map((r) => r.height), rows.map((r) => r.width), rows.map((r) => r.bitrate), rows.map((r) => r.codec), rows.map((r) => r.frameRate), rows.map((r) => r.storageKey)],
  );
}

export function listRenditions(assetId: string, version: number): Statement<RenditionRow> {
  return sql(
    `SELECT id, height, width, bitrate, codec, frame_rate::float8 AS "frameRate", storage_key AS "storageKey"
     FROM renditions WHERE asset_id = $1::uuid AND version = $2::int ORDER BY height DESC, bitrate DESC`,
    [assetId, version],
  );
}

export interface AudioTrackInput {
  lang: string;
  label: string | null;
  codec: 'aac';
  channels: number;
  bitrate: number;
  isOriginal: boolean;
  isDefault: boolean;
  storageKey: string;
}

export interface AudioTrackRow extends AudioTrackInput {
  id: string;
}

/**
 * The version's audio tracks are replaced as a whole: run deleteAudioTracks and
 * insertAudioTracks in one batch. (One statement with a deleting CTE does not
 * work: the insert's unique checks still see the rows the CTE deletes.)
 */
export function deleteAudioTracks(assetId: string, version: number): Statement<{ id: string }> {
  return sql(`DELETE FROM audio_tracks WHERE asset_id = $1::uuid AND version = $2::int RETURNING id`, [assetId, version]);
}

export function insertAudioTracks(assetId: string, version: number, rows: readonly AudioTrackInput[]): Statement<AudioTrackRow> {
  return sql(
    `INSERT INTO audio_tracks (asset_id, version, lang, label, codec, channels, bitrate, is_original, is_default, storage_key)
     SELECT $1::uuid, $2::int, a.lang, a.label, a.codec, a.channels, a.bitrate, a.is_original, a.is_default, a.storage_key
     FROM unnest($3::text[], $4::text[], $5::text[], $6::smallint[], $7::int[], $8::boolean[], $9::boolean[], $10::text[])
       AS a(lang, label, codec, channels, bitrate, is_original, is_default, storage_key)
     RETURNING id, lang, label, codec, channels, bitrate, is_original AS "isOriginal", is_default AS "isDefault", storage_key AS "storageKey"`,
    [
      assetId, version,
      rows.map((r) => r.lang), rows.map((r) => r.label), rows.map((r) => r.codec), rows.map((r) => r.channels),
      rows.map((r) => r.bitrate), rows.map((r) => r.isOriginal), rows.map((r) => r.isDefault), rows.map((r) => r.storageKey),
    ],
  );
}

export function listAudioTracks(assetId: string, version: number): Statement<AudioTrackRow> {
  return sql(
    `SELECT id, lang, label, codec, channels, bitrate, is_original AS "isOriginal", is_default AS "isDefault", storage_key AS "storageKey"
     FROM audio_tracks WHERE asset_id = $1::uuid AND version = $2::int ORDER BY is_default DESC, lang`,
    [assetId, version],
  );
}

export interface SubtitleTrackRow {
  id: string;
  lang: string;
  label: string | null;
  kind: 'subtitles' | 'captions' | 'forced';
  format: 'webvtt' | 'ttml';
  isDefault: boolean;
  /** The editor's uploaded file (an object key). */
  storageKey: string;
}

export function listSubtitleTracks(assetId: string, version: number): Statement<SubtitleTrackRow> {
  return sql(
    `SELECT id, lang, label, kind, format, is_default AS "isDefault", storage_key AS "storageKey"
     FROM subtitle_tracks WHERE asset_id = $1::uuid AND version = $2::int ORDER BY lang, kind`,
    [assetId, version],
  );
}
