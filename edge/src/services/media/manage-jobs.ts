// Editors' job actions: retry a failed transcode (a new job for the same asset
// version, in the same transaction as the asset going back to 'queued') and
// cancel a queued one (pg-boss's row, ours and the asset, in one statement).
import type { QueueName } from '../../../../db/queues.ts';
import { auditEntry } from '../../../../db/sql/audit.ts';
import { enqueueJob } from '../../../../db/sql/jobs.ts';
import { cancelQueuedJob, getJob, JOB_NOT_CANCELLABLE, JOB_NOT_RETRYABLE, requeueFailedTranscode } from '../../../../db/sql/media-admin.ts';
import type { Db } from '../../../../db/sql/statement.ts';
import { ApiError } from '../../lib/errors.ts';

export interface JobActionDeps {
  db: Db;
  transcodeQueue: string;
  actor: { userId: string; requestId: string };
}

export async function retryJob(deps: JobActionDeps, jobId: string): Promise<{ jobId: string }> {
  const [job] = await deps.db.run(getJob(jobId));
  if (!job) throw new ApiError('NOT_FOUND', 'No such job');
  if (job.type !== 'transcode' || job.status !== 'failed') throw new ApiError('CONFLICT', 'Only a failed transcode job can be retried', { details: { reason: 'not_failed', status: job.status } });
  const newId = crypto.randomUUID();
  try {
    await deps.db.batch([
      requeueFailedTranscode(jobId),
      ...enqueueJob({ id: newId, queue: deps.transcodeQueue as QueueName, type: 'transcode', subjectType: 'video_asset', subjectId: job.subjectId, data: job.payload }),
      auditEntry({ actorUserId: deps.actor.userId, action: 'job.retry', entityType: 'job', entityId: jobId, after: { newJobId: newId }, requestId: deps.actor.requestId }),
    ]);
  } catch (err) {
    if (err instanceof Error && err.message.includes(JOB_NOT_RETRYABLE)) {
      throw new ApiError('CONFLICT', 'The asset has moved on (a newer version, or already requeued); nothing to retry', { details: { reason: 'asset_moved_on' } });
    }
    throw err;
  }
  return { jobId: newId };
}

export async function cancelJob(deps: JobActionDeps, jobId: string): Promise<void> {
  const [job] = await deps.db.run(getJob(jobId));
  if (!job) throw new ApiError('NOT_FOUND', 'No such job');
  try {
    await deps.db.batch([
      cancelQueuedJob(jobId),
      auditEntry({ actorUserId: deps.actor.userId, action: 'job.cancel', entityType: 'job', entityId: jobId, before: { status: job.status }, requestId: deps.actor.requestId }),
    ]);
  } catch (err) {
    if (err instanceof Error && err.message.includes(JOB_NOT_CANCELLABLE)) {
      throw new ApiError('CONFLICT', 'Only a job still waiting in the queue can be cancelled', { details: { reason: 'not_queued', status: job.status } });
    }
    throw err;
  }
}
