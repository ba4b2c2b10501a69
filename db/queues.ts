// The pg-boss queues and their policies, as data. db/migrate.ts creates or
// updates them (pg-boss's schema must exist before the edge can enqueue); the
// origin worker reads them to know what it works and how often to heartbeat.
// Jobs copy their queue's retry/expiry/heartbeat settings when they are
// inserted (see db/sql/jobs.ts), so a policy change here applies to jobs
// enqueued after the next `npm run db:migrate`.
import type { Queue } from 'pg-boss';

/** The schema pg-boss is installed in; db/sql/jobs.ts inserts into it directly. */
export const PGBOSS_SCHEMA = 'pgboss';

/**
 * What db/migrate.ts passes to createQueue. Every setting is spelled out (no
 * pg-boss defaults), so migrate can compare it with the live queue and update
 * only what differs. `policy` and `partition` are fixed at creation: pg-boss
 * cannot change them in place. No `notify`: enqueueJob inserts jobs with SQL and
 * sends no NOTIFY, so workers poll.
 */
export type QueuePolicy = Required<
  Pick<Queue, 'policy' | 'retryLimit' | 'retryDelay' | 'retryBackoff' | 'expireInSeconds' | 'retentionSeconds' | 'deleteAfterSeconds'>
> &
  Pick<Queue, 'retryDelayMax' | 'heartbeatSeconds' | 'deadLetter' | 'partition'>;

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const QUEUES = {
  // Transcoding and packaging one video asset version: minutes to hours of
  // ffmpeg. Transient failures (object store hiccups, a worker restarted by a
  // deploy) are retried with exponential backoff; a retried job redoes the work
  // under the same keys (idempotent outputs, publish last).
  transcode: {
    policy: 'standard',
    retryLimit: 3,
    retryDelay: 60,
    retryBackoff: true,
    retryDelayMax: 30 * MINUTE,
    // Upper bound for one attempt: a 2 h 4K source on a small box.
    expireInSeconds: 6 * HOUR,
    // The worker touches heartbeat_on every 30 s while it runs; a worker killed
    // with kill -9 stops touching, and the supervisor fails the job after 60 s
    // (plus its own interval), long before expireInSeconds.
    heartbeatSeconds: 60,
    // Queued jobs wait at most a week before pg-boss drops them.
    retentionSeconds: 7 * DAY,
    // Finished pg-boss rows are kept two weeks; our `jobs` rows keep the history.
    deleteAfterSeconds: 14 * DAY,
  },
  // Small housekeeping: temp-folder cleanup, promoting scheduled content,
  // expiring subscriptions. Seconds of work each.
  system: {
    policy: 'standard',
    retryLimit: 2,
    retryDelay: 30,
    retryBackoff: true,
    retryDelayMax: 10 * MINUTE,
    expireInSeconds: 15 * MINUTE,
    heartbeatSeconds: 30,
    retentionSeconds: 1 * DAY,
    deleteAfterSeconds: 3 * DAY,
  },
} as const satisfies Record<string, QueuePolicy>;

export type QueueName = keyof typeof QUEUES;

/** In creation order: a queue named as another's deadLetter must come first. */
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export function isQueueName(name: string): name is QueueName {
  return Object.hasOwn(QUEUES, name);
}
