// Background jobs: enqueueing (edge and worker) and the worker's bookkeeping
// of our `jobs` rows. pg-boss owns delivery; these statements own what the
// product shows about a job.
import { PGBOSS_SCHEMA, type QueueName } from '../queues.ts';
import { sql, type Statement } from './statement.ts';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface JobRow {
  id: string;
  queue: string;
  type: string;
  subjectType: string;
  subjectId: string;
  status: JobStatus;
  payload: Record<string, unknown>;
  /** The attempt that last started, 1-based; 0 before the first. */
  attempts: number;
  progress: number;
  step: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface EnqueueJobInput {
  queue: QueueName;
  /** The worker's dispatch key (origin-worker/src/jobs). */
  type: string;
  /** What the job works on, for "jobs of this asset": e.g. 'video_asset' + its id. */
  subjectType: string;
  subjectId: string;
  /** The handler's payload. */
  data: object;
  /** Defaults to a fresh uuid; pass one to know it before the batch runs. */
  id?: string;
  /** Not before this moment (pg-boss start_after); defaults to now. */
  startAfter?: Date;
}

const JOB_COLUMNS = `
  id, queue, type, subject_type AS "subjectType", subject_id AS "subjectId", status, payload,
  attempts, progress, step, error,
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt", updated_at AS "updatedAt"`;

const Q = PGBOSS_SCHEMA;

/**
 * The statements that enqueue one job: our `jobs` row and the pg-boss job,
 * with the same id. Run them together as one batch (`db.batch`): over Neon's
 * HTTP driver that is one non-interactive transaction, over pg a BEGIN/COMMIT.
 * The job id comes back as the first statement's row.
 *
 * Both fail with "queue ... does not exist" (SQLSTATE P0001) when the queue
 * was never created, instead of inserting nothing.
 */
export function enqueueJob(input: EnqueueJobInput): Statement[] {
  const id = input.id ?? crypto.randomUUID();
  return [insertJobRow(id, input), insertBossJob(id, input)];
}

function insertJobRow(id: string, input: EnqueueJobInput): Statement<{ id: string }> {
  return sql(
    `INSERT INTO jobs (id, queue, type, subject_type, subject_id, status, payload)
     SELECT $1::uuid, wanted.name, $3, $4, $5, 'queued', $6::jsonb
     FROM (SELECT $2::text AS name) AS wanted
     LEFT JOIN ${Q}.queue q ON q.name = wanted.name
     WHERE assert_true(q.name IS NOT NULL, 'enqueueJob: queue "' || wanted.name || '" does not exist')
     RETURNING id`,
    [id, input.queue, input.type, input.subjectType, input.subjectId, JSON.stringify(input.data)],
  );
}

/**
 * Mirrors pg-boss's own insertJobs (node_modules/pg-boss/dist/plans.js):
 * retry, expiry, heartbeat, retention and dead-letter settings are copied from
 * the queue row, timestamps come from pg-boss's clock function job_now(), and
 * keep_until = start_after + retention. Inserting into the partitioned parent
 * routes the row to the queue's partition. No NOTIFY is sent (queues are not
 * notify-enabled; workers poll). The data shape `{ type, payload }` is what the
 * origin worker's dispatch table reads.
 */
function insertBossJob(id: string, input: EnqueueJobInput): Statement<{ id: string }> {
  return sql(
    `INSERT INTO ${Q}.job (
       id, name, data, priority, start_after, created_on, expire_seconds, deletion_seconds, keep_until,
       retry_limit, retry_delay, retry_backoff, retry_delay_max, policy, dead_letter, heartbeat_seconds
     )
     SELECT
       $1::uuid, q.name, $3::jsonb, 0, wanted.start_after, ${Q}.job_now(), q.expire_seconds, q.deletion_seconds,
       wanted.start_after + q.retention_seconds * interval '1 second',
       q.retry_limit, q.retry_delay, q.retry_backoff, q.retry_delay_max, q.policy, q.dead_letter, q.heartbeat_seconds
     FROM (SELECT $2::text AS name, COALESCE($4::timestamptz, ${Q}.job_now()) AS start_after) AS wanted
     LEFT JOIN ${Q}.queue q ON q.name = wanted.name
     WHERE assert_true(q.name IS NOT NULL, 'enqueueJob: queue "' || wanted.name || '" does not exist')
     RETURNING id`,
    [id, input.queue, JSON.stringify({ type: input.type, payload: input.data }), input.startAfter?.toISOString() ?? null],
  );
}

/**
 * A worker claimed the job: attempt is 1 for the first run, 2 for the first
 * retry, ... Progress and step restart; the previous attempt's error stays
 * until this one ends. A cancelled or completed job is left alone (no row back).
 */
export function markJobRunning(id: string, attempt: number): Statement<JobRow> {
  return sql(
    `UPDATE jobs
     SET status = 'running', attempts = GREATEST(attempts, $2::int), progress = 0, step = NULL,
         started_at = now(), finished_at = NULL
     WHERE id = $1::uuid AND status IN ('queued', 'running', 'failed')
     RETURNING ${JOB_COLUMNS}`,
    [id, attempt],
  );
}

// `attempt` fences the writes below: a worker that lost its claim (heartbeat
// timeout) and still finishes must not overwrite the row of the newer attempt
// that is already running. Without it (null) the write applies to any attempt.

/** Progress is clamped to 0-100 here too, so a rounding slip never fails a job. */
export function updateJobProgress(id: string, progress: number, step: string | null, attempt: number | null = null): Statement<JobRow> {
  return sql(
    `UPDATE jobs
     SET progress = LEAST(100, GREATEST(0, round($2::numeric)))::smallint, step = COALESCE($3, step)
     WHERE id = $1::uuid AND status = 'running' AND ($4::int IS NULL OR attempts = $4::int)
     RETURNING ${JOB_COLUMNS}`,
    [id, progress, step, attempt],
  );
}

export function markJobCompleted(id: string, attempt: number | null = null): Statement<JobRow> {
  return sql(
    `UPDATE jobs
     SET status = 'completed', progress = 100, error = NULL, finished_at = now()
     WHERE id = $1::uuid AND status IN ('queued', 'running') AND ($2::int IS NULL OR attempts = $2::int)
     RETURNING ${JOB_COLUMNS}`,
    [id, attempt],
  );
}

/**
 * An attempt failed. `final` = no retry will follow (retries exhausted or a
 * permanent error): the job is failed. Otherwise it is queued again for
 * pg-boss's retry, with the error kept for display.
 */
export function markJobFailed(id: string, error: string, final: boolean, attempt: number | null = null): Statement<JobRow> {
  return sql(
    `UPDATE jobs
     SET status = CASE WHEN $3::boolean THEN 'failed' ELSE 'queued' END,
         error = left(COALESCE(NULLIF($2, ''), 'unknown error'), 2000),
         finished_at = CASE WHEN $3::boolean THEN now() END
     WHERE id = $1::uuid AND status IN ('queued', 'running') AND ($4::int IS NULL OR attempts = $4::int)
     RETURNING ${JOB_COLUMNS}`,
    [id, error, final, attempt],
  );
}

/** Marks our row cancelled; cancelling the pg-boss job is the caller's other half (boss.cancel). */
export function markJobCancelled(id: string): Statement<JobRow> {
  return sql(
    `UPDATE jobs
     SET status = 'cancelled', finished_at = now()
     WHERE id = $1::uuid AND status IN ('queued', 'running')
     RETURNING ${JOB_COLUMNS}`,
    [id],
  );
}

export function getJob(id: string): Statement<JobRow> {
  return sql(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1::uuid`, [id]);
}
