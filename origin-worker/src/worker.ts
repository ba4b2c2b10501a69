// One worker: its pool, its pg-boss instance, a pg-boss worker per queue the job
// table uses, and the bookkeeping of what it is running. main.ts adds the process
// around it (health endpoint, signals); tests start several in one process.
import type { JobWithMetadata } from 'pg-boss';
import type pg from 'pg';
import type { Db } from '../../db/sql/statement.ts';
import type { Config } from './config.ts';
import { createDb, createPool, pingDb } from './db.ts';
import { createJobTable, queuesOf, resolveJob, type JobServices, type JobTable } from './jobs/index.ts';
import type { Logger } from './logger.ts';
import { createBoss, type PgBoss } from './queue/boss.ts';
import { runJob } from './queue/run-job.ts';
import { emptyDir, workerTempRoot } from './temp-dirs.ts';

export interface WorkerOptions {
  config: Config;
  logger: Logger;
  /** Defaults to createJobTable; tests add job types of their own. */
  jobTable?: (services: JobServices) => JobTable;
}

export interface Worker {
  readonly workerId: string;
  readonly db: Db;
  readonly pool: pg.Pool;
  readonly boss: PgBoss;
  activeJobs(): number;
  shuttingDown(): boolean;
  databaseReachable(): Promise<boolean>;
  /**
   * Stops claiming at once, gives jobs in flight `shutdownGraceSeconds` to finish,
   * then fails them in pg-boss (so they are retried elsewhere) and aborts their
   * signals, waits a short while for the handlers to record that, and closes the
   * pools. Idempotent.
   */
  stop(): Promise<void>;
}

/** How long aborted handlers get to record their failure once the grace is spent. */
const ABORT_SETTLE_MS = 5000;

export async function startWorker(opts: WorkerOptions): Promise<Worker> {
  const { config } = opts;
  const logger = opts.logger.child({ workerId: config.workerId });
  const pool = createPool({ databaseUrl: config.databaseUrl, max: config.concurrency + 3, applicationName: `origin-worker:${config.workerId}` });
  pool.on('error', (err) => logger.error('idle database connection failed', { err }));
  const db = createDb(pool);
  const tempRoot = workerTempRoot(config.tempDir, config.workerId);
  let table: JobTable;
  try {
    // First: a job type that cannot be set up (no media bucket configured) stops the start.
    table = (opts.jobTable ?? createJobTable)({ db, tempDir: config.tempDir, ownTempRoot: tempRoot, config });
  } catch (err) {
    await pool.end();
    throw err;
  }
  const leftovers = await emptyDir(tempRoot);
  if (leftovers) logger.warn('removed temp folders left by a previous run', { count: leftovers, tempRoot });

  const boss = createBoss(
    { databaseUrl: config.databaseUrl, workerId: config.workerId, poolMax: config.concurrency + 4, superviseIntervalSeconds: config.superviseIntervalSeconds },
    logger,
  );
  try {
    await boss.start();
  } catch (err) {
    await pool.end();
    throw err;
  }

  const inFlight = new Set<Promise<unknown>>();
  let stopping: Promise<void> | undefined;

  try {
    for (const queue of queuesOf(table).filter((q) => !config.queues || config.queues.includes(q))) {
      // Housekeeping needs no parallelism; every media queue gets WORKER_CONCURRENCY.
      const localConcurrency = queue === 'system' ? 1 : config.concurrency;
      await boss.work(
        queue,
        { batchSize: 1, localConcurrency, includeMetadata: true, perJobResults: true, pollingIntervalSeconds: config.pollIntervalSeconds },
        (jobs: JobWithMetadata<unknown>[]) => {
          const run = Promise.all(jobs.map((job) => runJob({ db, logger, tempRoot, resolve: (data) => resolveJob(table, data) }, job)));
          inFlight.add(run);
          void run.catch(() => undefined).finally(() => inFlight.delete(run));
          return run;
        },
      );
      logger.info('working queue', { queue, localConcurrency });
    }
  } catch (err) {
    // Most likely a queue db/migrate.ts did not create.
    await boss.stop({ graceful: false }).catch(() => undefined);
    await pool.end();
    throw err;
  }

  return {
    workerId: config.workerId,
    db,
    pool,
    boss,
    activeJobs: () => inFlight.size,
    shuttingDown: () => stopping !== undefined,
    databaseReachable: () => pingDb(pool, 2000),
    stop() {
      stopping ??= (async () => {
        logger.info('stopping: no new jobs', { activeJobs: inFlight.size, graceSeconds: config.shutdownGraceSeconds });
        // pg-boss's graceful stop is exactly the policy we want: offWork on every
        // queue, wait up to `timeout` for handlers, then fail what is left ("pg-boss
        // shut down while active": back to retry) and abort the handlers' signals.
        await boss.stop({ graceful: true, timeout: config.shutdownGraceSeconds * 1000 }).catch((err: unknown) => logger.error('pg-boss did not stop cleanly', { err }));
        if (inFlight.size) {
          logger.warn('waiting for aborted jobs to settle', { activeJobs: inFlight.size });
          await settleWithin([...inFlight], ABORT_SETTLE_MS);
        }
        await pool.end();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

async function settleWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
