// The one wrapper every job handler runs inside. pg-boss owns the claim (fetch,
// heartbeats, retries); this owns our `jobs` bookkeeping row and the job's temp
// folder:
//
//   markJobRunning -> handler({ data, signal, progress, tempDir, logger })
//     -> markJobCompleted                      pg-boss: completed
//     -> markJobFailed(reason, final?)         pg-boss: failed; retried while retryLimit
//                                              allows (our row goes back to `queued`)
//     -> PermanentJobError: markJobFailed(reason, final) pg-boss: failed now, no retry
//   finally: remove the temp folder.
//
// Why `deadletter` for a PermanentJobError: the workers run with pg-boss's
// `perJobResults`, where a handler settles each job itself. A `deadletter` result
// fails the job terminally and skips any retries left (and moves it to the queue's
// dead letter queue when one is configured). That keeps pg-boss's own state honest
// (`failed`, with our reason as its output) instead of completing a job that did
// not succeed, and needs no second write racing the settle.
import type { JobResult } from 'pg-boss';
import type { Db } from '../../../db/sql/statement.ts';
import { getJob, markJobCompleted, markJobFailed, markJobRunning, updateJobProgress } from '../../../db/sql/jobs.ts';
import type { Logger } from '../logger.ts';
import { createJobTempDir, removeDir } from '../temp-dirs.ts';

/** Bad input: retrying cannot help, so the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

export interface JobContext<Data> {
  jobId: string;
  jobType: string;
  data: Data;
  /** 1 for the first run, 2 for the first retry, ... */
  attempt: number;
  /** No retry follows if this attempt fails (the queue's retryLimit is spent). */
  finalAttempt: boolean;
  /** Aborted on shutdown past the grace period, or when pg-boss finds the claim gone. */
  signal: AbortSignal;
  /** Empty, private to this run, removed when the handler returns or throws. */
  tempDir: string;
  logger: Logger;
  /** Clamped to 0-100; written at most about once a second unless the step changes. */
  progress(percent: number, step?: string): Promise<void>;
}

export interface JobDefinition<Data> {
  /** Validates the job's payload; throwing here fails the job permanently. */
  parse(payload: unknown): Data;
  run(ctx: JobContext<Data>): Promise<void>;
}

/** The part of a pg-boss job (fetched with `includeMetadata`) the wrapper reads. */
export interface ClaimedJob {
  id: string;
  name: string;
  data: unknown;
  retryCount: number;
  retryLimit: number;
  signal: AbortSignal;
}

export interface RunJobDeps {
  db: Db;
  logger: Logger;
  /** This worker's temp root, `<TEMP_DIR>/<workerId>`. */
  tempRoot: string;
  /** Finds the definition for a job's payload; throws PermanentJobError for unknown types. */
  resolve(data: unknown): { type: string; definition: JobDefinition<unknown>; payload: unknown };
  /** Minimum milliseconds between two progress writes of the same step. */
  progressIntervalMs?: number;
}

const REASON_MAX = 500;

export async function runJob(deps: RunJobDeps, job: ClaimedJob): Promise<JobResult> {
  const attempt = job.retryCount + 1;
  const final = job.retryCount >= job.retryLimit;
  let logger = deps.logger.child({ jobId: job.id, queue: job.name, attempt });
  let tempDir: string | undefined;
  try {
    const [claimed] = await deps.db.run(markJobRunning(job.id, attempt));
    if (!claimed) {
      // No bookkeeping row to move: either the job is already settled on our side,
      // or it was sent straight to pg-boss (no row at all) and runs without one.
      const [row] = await deps.db.run(getJob(job.id));
      if (row?.status === 'completed') {
        logger.warn('job already completed, not running it again');
        return { id: job.id, status: 'completed' };
      }
      if (row?.status === 'cancelled') throw new PermanentJobError('job was cancelled');
    }
    const { type, definition, payload } = deps.resolve(job.data);
    logger = logger.child({ jobType: type });
    let data: unknown;
    try {
      data = definition.parse(payload);
    } catch (err) {
      throw new PermanentJobError(`invalid ${type} payload: ${shortReason(err)}`, { cause: err });
    }
    tempDir = await createJobTempDir(deps.tempRoot, job.id);
    logger.info('job started');
    const started = Date.now();
    await definition.run({
      jobId: job.id,
      jobType: type,
      data,
      attempt,
      finalAttempt: final,
      signal: job.signal,
      tempDir,
      logger,
      progress: progressReporter(deps, job.id, attempt, logger),
    });
    // A handler that returns after the claim was taken away must not report success
    // over whatever the retry is doing.
    job.signal.throwIfAborted();
    await deps.db.run(markJobCompleted(job.id, attempt));
    logger.info('job completed', { durationMs: Date.now() - started });
    return { id: job.id, status: 'completed' };
  } catch (err) {
    const permanent = err instanceof PermanentJobError;
    const reason = job.signal.aborted && !permanent ? `aborted: ${abortReason(job.signal.reason)}` : shortReason(err);
    const isFinal = permanent || final;
    logger.error(permanent ? 'job failed permanently' : isFinal ? 'job failed, no retries left' : 'job failed, will retry', { err, reason });
    await deps.db.run(markJobFailed(job.id, reason, isFinal, attempt)).catch((e: unknown) => {
      logger.error('could not record the job failure', { err: e });
    });
    return { id: job.id, status: permanent ? 'deadletter' : 'failed', output: { message: reason } };
  } finally {
    if (tempDir) {
      await removeDir(tempDir).catch((e: unknown) => logger.warn('could not remove the job temp folder', { err: e, tempDir }));
    }
  }
}

export function clampProgress(percent: number): number {
  if (!Number.isFinite(percent)) return 0;
  return Math.min(100, Math.max(0, Math.round(percent)));
}

function progressReporter(deps: RunJobDeps, jobId: string, attempt: number, logger: Logger): JobContext<unknown>['progress'] {
  const interval = deps.progressIntervalMs ?? 1000;
  let lastAt = 0;
  let lastStep: string | undefined;
  let lastPercent = -1;
  return async (percent, step) => {
    const p = clampProgress(percent);
    const now = Date.now();
    const due = step !== lastStep || p === 100 || now - lastAt >= interval;
    if (!due || (p === lastPercent && step === lastStep)) return;
    lastAt = now;
    lastStep = step;
    lastPercent = p;
    // Progress is advisory: a failed write is logged, never fails the job.
    await deps.db.run(updateJobProgress(jobId, p, step?.slice(0, 200) ?? null, attempt)).catch((e: unknown) => logger.warn('could not record progress', { err: e }));
  };
}

function shortReason(err: unknown): string {
  const text = isValidationError(err)
    ? err.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')
    : err instanceof Error
      ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`
      : String(err);
  return text.length > REASON_MAX ? `${text.slice(0, REASON_MAX - 3)}...` : text;
}

/** pg-boss aborts with a bare AbortError on shutdown and expiry, with an Error of its own when the claim is gone. */
function abortReason(reason: unknown): string {
  return reason instanceof Error && reason.name !== 'AbortError' ? shortReason(reason) : 'the worker shut down or the attempt expired';
}

/** A zod error (duck-typed, so handlers may bring their own validator's copy). */
function isValidationError(err: unknown): err is { issues: { path: PropertyKey[]; message: string }[] } {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues);
}
