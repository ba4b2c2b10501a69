// Housekeeping on the `system` queue: removes job temp folders that outlived
// their job (a worker killed mid-transcode leaves `<TEMP_DIR>/<workerId>/<jobId>/`
// behind, and its next life may have another WORKER_ID). It cleans the TEMP_DIR of
// whichever worker claims it, so on hosts with a volume per worker each one needs
// its own run; every worker also empties its own folder at start-up.
import { readdir, rmdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { JobDefinition } from '../queue/run-job.ts';

export const cleanupTempData = z.object({
  /** Folders untouched for this long are removed. */
  olderThanHours: z.number().positive().max(24 * 365).default(24),
});
export type CleanupTempData = z.infer<typeof cleanupTempData>;

export interface CleanupTempDeps {
  tempDir: string;
  /** This worker's own root, never removed (its job folders still are, when stale). */
  ownRoot: string;
  /** True when the job is still running somewhere, so its folder must stay. */
  isRunning(jobId: string): Promise<boolean>;
}

export interface CleanupReport {
  removedJobDirs: number;
  removedWorkerDirs: number;
  keptRunning: number;
}

export function cleanupTempJob(deps: CleanupTempDeps): JobDefinition<CleanupTempData> {
  return {
    parse: (payload) => cleanupTempData.parse(payload ?? {}),
    async run({ data, signal, logger, progress }) {
      const report = await removeStaleTempDirs(deps, Date.now() - data.olderThanHours * 3_600_000, signal);
      await progress(100, 'done');
      logger.info('stale temp folders removed', { ...report });
    },
  };
}

export async function removeStaleTempDirs(deps: CleanupTempDeps, cutoffMs: number, signal?: AbortSignal): Promise<CleanupReport> {
  const report: CleanupReport = { removedJobDirs: 0, removedWorkerDirs: 0, keptRunning: 0 };
  for (const workerDir of await listDirs(deps.tempDir)) {
    // Read before its job folders go: removing them bumps the folder's mtime.
    const workerStale = (await mtimeMs(workerDir)) < cutoffMs;
    for (const jobDir of await listDirs(workerDir)) {
      signal?.throwIfAborted();
      if ((await mtimeMs(jobDir)) >= cutoffMs) continue;
      if (await deps.isRunning(path.basename(jobDir))) {
        report.keptRunning++;
        continue;
      }
      await rm(jobDir, { recursive: true, force: true });
      report.removedJobDirs++;
    }
    if (path.resolve(workerDir) === path.resolve(deps.ownRoot)) continue;
    if (!workerStale) continue;
    // rmdir, not rm -r: a worker that is alive right now may just have created a job folder.
    await rmdir(workerDir).then(
      () => report.removedWorkerDirs++,
      () => undefined,
    );
  }
  return report;
}

async function listDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries.filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name));
}

async function mtimeMs(p: string): Promise<number> {
  return (await stat(p)).mtimeMs;
}
