// The dispatch table: every job type this worker runs, the queue it arrives on,
// and its handler. A queue is only worked when at least one type here uses it, so
// a worker never claims jobs it has no handler for (transcode arrives with the
// media pipeline).
import type { Db } from '../../../db/sql/statement.ts';
import { getJob } from '../../../db/sql/jobs.ts';
import type { QueueName } from '../../../db/queues.ts';
import { PermanentJobError, type JobDefinition } from '../queue/run-job.ts';
import { cleanupTempJob } from './cleanup-temp.ts';

export interface JobEntry<Data = any> {
  queue: QueueName;
  definition: JobDefinition<Data>;
}

export type JobTable = Readonly<Record<string, JobEntry>>;

export interface JobServices {
  db: Db;
  tempDir: string;
  /** `<tempDir>/<workerId>` */
  ownTempRoot: string;
}

export function createJobTable(services: JobServices) {
  return {
    'cleanup-temp': {
      queue: 'system',
      definition: cleanupTempJob({
        tempDir: services.tempDir,
        ownRoot: services.ownTempRoot,
        isRunning: async (jobId) => {
          // Folder names that are not job ids (not a uuid) belong to no running job.
          if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(jobId)) return false;
          const [row] = await services.db.run(getJob(jobId));
          return row?.status === 'running';
        },
      }),
    },
  } as const satisfies JobTable;
}

export type JobType = keyof ReturnType<typeof createJobTable>;

/** The queues a table needs workers on. */
export function queuesOf(table: JobTable): QueueName[] {
  return [...new Set(Object.values(table).map((e) => e.queue))];
}

/** pg-boss job data is `{ type, payload }`; see db/sql/jobs.ts enqueueJob. */
export function resolveJob(table: JobTable, data: unknown): { type: string; definition: JobDefinition<unknown>; payload: unknown } {
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') throw new PermanentJobError('job data has no type');
  const entry = Object.hasOwn(table, type) ? table[type] : undefined;
  if (!entry) throw new PermanentJobError(`no handler for job type ${JSON.stringify(type)}`);
  return { type, definition: entry.definition, payload: (data as { payload?: unknown }).payload };
}
