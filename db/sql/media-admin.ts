// What editors see of the media pipeline (issue 5): assets with their state,
// versions and outputs; jobs with attempts and errors; retrying a failed
// transcode and cancelling a queued one.
import { PGBOSS_SCHEMA } from '../queues.ts';
import type { JobRow } from './jobs.ts';
import { sql, type Statement } from './statement.ts';

export interface AssetSummaryRow {
  id: string;
  kind: 'movie' | 'episode' | 'trailer';
  ownerId: string;
  status: string;
  progress: number;
  currentStep: string | null;
  failureReason: string | null;
  version: number;
  publishedVersion: number | null;
  drmProtected: boolean;
  updatedAt: Date;
  /** updated_at in Postgres's text form, for the page cursor. */
  cursorAt: string;
}

const ASSET_COLUMNS = `a.id, a.kind, COALESCE(a.movie_id, a.episode_id, a.trailer_of_content_id) AS "ownerId", a.status, a.progress,
  a.current_step AS "currentStep", a.failure_reason AS "failureReason", a.version, a.published_version AS "publishedVersion",
  a.drm_protected AS "drmProtected", a.updated_at AS "updatedAt", a.updated_at::text AS "cursorAt"`;

/** Newest activity first, keyset on (updated_at, id); `status` null = all. */
export function listAssets(input: { status: string | null; before: { at: string; id: string } | null; limit: number }): Statement<AssetSummaryRow> {
  return sql(
    `SELECT ${ASSET_COLUMNS} FROM video_assets a
     WHERE ($1::text IS NULL OR a.status = $1)
       AND ($2::timestamptz IS NULL OR (a.updated_at, a.id) < ($2::timestamptz, $3::uuid))
     ORDER BY a.updated_at DESC, a.id DESC
     LIMIT $4`,
    [input.status, input.before?.at ?? null, input.before?.id ?? null, input.limit],
  );
}

export interface AssetDetailRow extends AssetSummaryRow {
  versions: {
    version: number;
    durationSeconds: number | null;
    readyAt: string | null;
    publishedAt: string | null;
    renditions: { width: number; height: number; bitrate: number; codec: string }[];
    audioTracks: { lang: string; label: string | null; codec: string; channels: number; isDefault: boolean }[];
    subtitleTracks: { lang: string; label: string | null; kind: string; isDefault: boolean }[];
  }[];
}

export function getAssetDetail(assetId: string): Statement<AssetDetailRow> {
  return sql(
    `SELECT ${ASSET_COLUMNS},
       COALESCE((SELECT json_agg(json_build_object(
         'version', v.version, 'durationSeconds', v.duration_seconds::float8, 'readyAt', v.ready_at, 'publishedAt', v.published_at,
         'renditions', COALESCE((SELECT json_agg(json_build_object('width', r.width, 'height', r.height, 'bitrate', r.bitrate, 'codec', r.codec) ORDER BY r.height DESC)
                                 FROM renditions r WHERE r.asset_id = v.asset_id AND r.version = v.version), '[]'),
         'audioTracks', COALESCE((SELECT json_agg(json_build_object('lang', t.lang, 'label', t.label, 'codec', t.codec, 'channels', t.channels, 'isDefault', t.is_default) ORDER BY t.lang)
                                  FROM audio_tracks t WHERE t.asset_id = v.asset_id AND t.version = v.version), '[]'),
         'subtitleTracks', COALESCE((SELECT json_agg(json_build_object('lang', s.lang, 'label', s.label, 'kind', s.kind, 'isDefault', s.is_default) ORDER BY s.lang)
                                     FROM subtitle_tracks s WHERE s.asset_id = v.asset_id AND s.version = v.version), '[]')
       ) ORDER BY v.version DESC) FROM video_asset_versions v WHERE v.asset_id = a.id), '[]') AS versions
     FROM video_assets a WHERE a.id = $1::uuid`,
    [assetId],
  );
}

/** A job as editors list it: our `jobs` row (db/sql/jobs.ts) without payload, plus the page cursor. */
export type JobListRow = Omit<JobRow, 'payload' | 'updatedAt'> & { cursorAt: string };

export function listJobs(input: { status: string | null; subjectId: string | null; before: { at: string; id: string } | null; limit: number }): Statement<JobListRow> {
  return sql(
    `SELECT id, queue, type, subject_type AS "subjectType", subject_id AS "subjectId", status, attempts, progress, step, error,
            created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt", created_at::text AS "cursorAt"
     FROM jobs
     WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR subject_id = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC
     LIMIT $5`,
    [input.status, input.subjectId, input.before?.at ?? null, input.before?.id ?? null, input.limit],
  );
}

export function getJob(jobId: string): Statement<JobListRow & Pick<JobRow, 'payload'>> {
  return sql(
    `SELECT id, queue, type, subject_type AS "subjectType", subject_id AS "subjectId", status, attempts, progress, step, error, payload,
            created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt", created_at::text AS "cursorAt"
     FROM jobs WHERE id = $1::uuid`,
    [jobId],
  );
}

export const JOB_NOT_RETRYABLE = 'job is not failed, or its asset moved on';

/**
 * Retrying a failed transcode: the asset (still at that version, failed) goes
 * back to 'queued'. Run FIRST in a batch with enqueueJob for a new job: it
 * raises JOB_NOT_RETRYABLE otherwise, rolling the new job back too.
 */
export function requeueFailedTranscode(jobId: string): Statement<{ ok: boolean }> {
  return sql(
    `WITH job AS (
       SELECT subject_id::uuid AS asset_id, (payload->>'version')::int AS version FROM jobs
       WHERE id = $1::uuid AND status = 'failed' AND type = 'transcode' AND subject_type = 'video_asset'
     ), requeued AS (
       UPDATE video_assets a SET status = 'queued', failure_reason = NULL, progress = 0, current_step = 'waiting for a worker'
       FROM job WHERE a.id = job.asset_id AND a.version = job.version AND a.status = 'failed'
       RETURNING a.id
     )
     SELECT assert_true(EXISTS (SELECT 1 FROM requeued), '${JOB_NOT_RETRYABLE}') AS ok`,
    [jobId],
  );
}

export const JOB_NOT_CANCELLABLE = 'job is not waiting in the queue';

/**
 * Cancelling a queued job: pg-boss's row (created or waiting to retry) is
 * cancelled so no worker claims it, ours too, and a transcode's asset goes to
 * 'cancelled'. Raises JOB_NOT_CANCELLABLE (rolling back its batch, audit row
 * included) when the job was not waiting (already running or done).
 */
export function cancelQueuedJob(jobId: string): Statement<{ ok: boolean }> {
  return sql(
    `WITH boss AS (
       UPDATE ${PGBOSS_SCHEMA}.job SET state = 'cancelled', completed_on = now()
       WHERE id = $1::uuid AND state IN ('created', 'retry')
       RETURNING id
     ), ours AS (
       UPDATE jobs SET status = 'cancelled', finished_at = now(), step = 'cancelled by an editor'
       FROM boss WHERE jobs.id = boss.id AND jobs.status = 'queued'
       RETURNING jobs.id, jobs.subject_type, jobs.subject_id, jobs.type, (jobs.payload->>'version')::int AS version
     ), asset AS (
       UPDATE video_assets a SET status = 'cancelled', current_step = 'cancelled'
       FROM ours WHERE ours.type = 'transcode' AND ours.subject_type = 'video_asset' AND a.id = ours.subject_id::uuid
         AND a.version = ours.version AND a.status = 'queued'
       RETURNING a.id
     )
     SELECT assert_true(EXISTS (SELECT 1 FROM ours), '${JOB_NOT_CANCELLABLE}') AS ok`,
    [jobId],
  );
}
