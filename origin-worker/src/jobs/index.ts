// The dispatch table: every job type this worker runs, the queue it arrives on,
// and its handler. A queue is only worked when at least one type here uses it, so
// a worker never claims jobs it has no handler for.
import type { Db } from '../../../db/sql/statement.ts';
import { ConfigError, type Config } from '../config.ts';
import { resolveMediaBinaries } from '../media/binaries.ts';
import { MediaStore } from '../media/object-store.ts';
import { getJob } from '../../../db/sql/jobs.ts';
import type { QueueName } from '../../../db/queues.ts';
import { PermanentJobError, type JobDefinition } from '../queue/run-job.ts';
import { catalogVersionBumper } from '../catalog-cache.ts';
import { cleanupTempJob } from './cleanup-temp.ts';
import { transcodeJob } from './transcode.ts';

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
  config: Config;
}

export function createJobTable(services: JobServices) {
  const { config } = services;
  // The transcode job is always registered, so the media bucket is required here
  // (and not in loadConfig, which tools without the job table also use).
  if (!config.s3) throw new ConfigError(config.s3Missing ?? 'S3_ENDPOINT', 'is required: the transcode job writes to the media bucket');
  const binaries = resolveMediaBinaries({ FFMPEG_PATH: config.media.ffmpegPath, FFPROBE_PATH: config.media.ffprobePath, PACKAGER_PATH: config.media.packagerPath });
  return {
    transcode: {
      queue: 'transcode',
      definition: transcodeJob({ db: services.db, store: new MediaStore(config.s3), binaries, ladderSizes: config.media.ladderSizes, x264Preset: config.media.x264Preset, keks: config.media.keks, catalogChanged: catalogVersionBumper(config) }),
    },
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
