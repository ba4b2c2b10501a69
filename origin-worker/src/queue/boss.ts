// pg-boss 12, set up for a fleet of workers that share one database.
//
// How a killed worker is noticed: queues that carry `heartbeatSeconds` (set in
// db/queues.ts) make pg-boss touch each active job's `heartbeat_on` every
// `heartbeatSeconds / 2` (`heartbeatRefreshSeconds` on work()) while the handler
// runs; nothing in the handler has to do it. A SIGKILLed process stops touching,
// and the supervisor of any live instance (`supervise: true`, every
// `superviseIntervalSeconds` / `monitorIntervalSeconds`, claimed by one instance per
// pass) fails jobs whose heartbeat is older than `heartbeatSeconds` with "job
// heartbeat timeout", which puts them back in `retry` while `retryLimit` allows.
// So the worst case is about heartbeatSeconds + superviseIntervalSeconds (transcode:
// 60 s + WORKER_SUPERVISE_SECONDS, 60 s by default), then the queue's retryDelay,
// instead of `expireInSeconds` (6 h for a transcode).
import { PgBoss } from 'pg-boss';
import type { Logger } from '../logger.ts';

export interface BossOptions {
  databaseUrl: string;
  workerId: string;
  /** Connections pg-boss may hold: fetches, heartbeats and settles of the jobs in flight. */
  poolMax: number;
  superviseIntervalSeconds: number;
}

export function createBoss(opts: BossOptions, logger: Logger): PgBoss {
  const boss = new PgBoss({
    connectionString: opts.databaseUrl,
    application_name: `origin-worker:${opts.workerId}`.slice(0, 63),
    max: opts.poolMax,
    // The schema and the queues are installed by db/migrate.ts, once, before any worker
    // starts; a worker that migrated on boot would race its siblings.
    migrate: false,
    supervise: true,
    superviseIntervalSeconds: opts.superviseIntervalSeconds,
    // Expiry and lost-heartbeat sweeps run only on a pass both intervals allow.
    monitorIntervalSeconds: opts.superviseIntervalSeconds,
    // Cron schedules belong to whoever owns them (a deploy step or the API), not to every worker.
    schedule: false,
    instanceName: 'origin-worker',
  });
  boss.on('error', (err) => logger.error('pg-boss error', { err }));
  boss.on('warning', (w) => logger.warn(`pg-boss warning: ${w.message}`, { data: w.data }));
  return boss;
}

export type { PgBoss };
