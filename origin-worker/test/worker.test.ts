// The worker in-process against the real database: enqueue through
// db/sql/jobs.ts, claim through pg-boss, bookkeeping in `jobs`.
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createJobTable, type JobTable } from '../src/jobs/index.ts';
import { createLogger } from '../src/logger.ts';
import { clampProgress, runJob, type ClaimedJob } from '../src/queue/run-job.ts';
import { removeStaleTempDirs } from '../src/jobs/cleanup-temp.ts';
import { workerTempRoot } from '../src/temp-dirs.ts';
import { startWorker, type Worker } from '../src/worker.ts';
import type { JobRow } from '../../db/sql/jobs.ts';
import { bossJob, bossJobIn, createTestQueue, enqueue, jobRow, makeTempDir, mediaEnv, openTestDb, testConfig, waitFor, type TestDb } from './helpers/db.ts';
import { testJobs } from './helpers/test-jobs.ts';

// Failures are expected here; keep their log lines out of the test output.
const logger = createLogger({ level: 'error', write: () => undefined });
let t: TestDb;

beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t?.close();
});

async function withWorker<T>(table: JobTable, overrides: Record<string, string>, fn: (w: Worker, tempDir: string) => Promise<T>): Promise<T> {
  const tmp = await makeTempDir();
  const worker = await startWorker({ config: testConfig({ TEMP_DIR: tmp.dir, ...overrides }), logger, jobTable: () => table });
  try {
    return await fn(worker, tmp.dir);
  } finally {
    await worker.stop();
    await tmp.remove();
  }
}

describe('run-job bookkeeping', () => {
  function claimed(id: string, queue: string, data: unknown, retryCount = 0, retryLimit = 2): ClaimedJob {
    return { id, name: queue, data, retryCount, retryLimit, signal: new AbortController().signal };
  }

  it('marks a job running, records progress and completes it; the temp folder is gone after', async () => {
    const q = await createTestQueue(t.boss);
    const tmp = await makeTempDir();
    try {
      const id = await enqueue(t.db, { queue: q.name, type: 'probe' });
      const seen: { status?: string; tempDir?: string; progress?: (JobRow | undefined)[] } = {};
      const result = await runJob(
        {
          db: t.db,
          logger,
          tempRoot: tmp.dir,
          progressIntervalMs: 0,
          resolve: () => ({
            type: 'probe',
            payload: {},
            definition: {
              parse: (p) => p,
              async run(ctx) {
                seen.status = (await jobRow(t.db, id))?.status;
                seen.tempDir = ctx.tempDir;
                await writeFile(path.join(ctx.tempDir, 'out.bin'), 'x');
                await ctx.progress(42.6, 'encoding');
                seen.progress = [await jobRow(t.db, id)];
                await ctx.progress(250, 'packaging');
                seen.progress.push(await jobRow(t.db, id));
              },
            },
          }),
        },
        claimed(id, q.name, { type: 'probe' }),
      );
      expect(result).toEqual({ id, status: 'completed' });
      expect(seen.status).toBe('running');
      expect(seen.progress?.map((r) => [r?.progress, r?.step])).toEqual([[43, 'encoding'], [100, 'packaging']]);
      const row = await jobRow(t.db, id);
      expect(row).toMatchObject({ status: 'completed', attempts: 1 });
      expect(row!.progress).toBe(100);
      await expect(stat(seen.tempDir!)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await tmp.remove();
      await q.drop();
    }
  });

  it('stores a short failure reason and queues the job again for pg-boss to retry', async () => {
    const q = await createTestQueue(t.boss);
    const tmp = await makeTempDir();
    try {
      const id = await enqueue(t.db, { queue: q.name, type: 'probe' });
      const result = await runJob(
        {
          db: t.db,
          logger,
          tempRoot: tmp.dir,
          resolve: () => ({ type: 'probe', payload: {}, definition: { parse: (p) => p, run: async () => { throw new Error('ffmpeg exited with code 1'); } } }),
        },
        claimed(id, q.name, { type: 'probe' }, 0, 2),
      );
      expect(result).toMatchObject({ id, status: 'failed', output: { message: 'ffmpeg exited with code 1' } });
      expect(await jobRow(t.db, id)).toMatchObject({ status: 'queued', attempts: 1, error: 'ffmpeg exited with code 1', finishedAt: null });
    } finally {
      await tmp.remove();
      await q.drop();
    }
  });

  it('turns an invalid payload into a PermanentJobError (dead-lettered, not retried)', async () => {
    const q = await createTestQueue(t.boss);
    const tmp = await makeTempDir();
    try {
      const id = await enqueue(t.db, { queue: q.name, type: 'probe' });
      const result = await runJob(
        {
          db: t.db,
          logger,
          tempRoot: tmp.dir,
          resolve: () => ({ type: 'probe', payload: { ms: 'soon' }, definition: { parse: (p) => z.object({ ms: z.number() }).parse(p), run: async () => undefined } }),
        },
        claimed(id, q.name, { type: 'probe' }),
      );
      expect(result).toMatchObject({ status: 'deadletter', output: { message: 'PermanentJobError: invalid probe payload: ms: Invalid input: expected number, received string' } });
      expect(await jobRow(t.db, id)).toMatchObject({ status: 'failed' });
    } finally {
      await tmp.remove();
      await q.drop();
    }
  });

  it('clamps progress to 0-100', () => {
    expect([clampProgress(-5), clampProgress(42.4), clampProgress(250), clampProgress(Number.NaN)]).toEqual([0, 42, 100, 0]);
  });
});

describe('worker', () => {
  it('picks up a job enqueued with enqueueJob and completes it', async () => {
    const q = await createTestQueue(t.boss);
    try {
      await withWorker(testJobs(q.name), {}, async () => {
        const id = await enqueue(t.db, { queue: q.name, type: 'test-sleep', payload: { ms: 50 } });
        const row = await waitFor('completion', async () => {
          const r = await jobRow(t.db, id);
          return r?.status === 'completed' && r;
        });
        expect(row).toMatchObject({ attempts: 1, step: 'done' });
        // pg-boss's own row settles a moment after ours.
        expect(await bossJobIn(t.boss, q.name, id, 'completed')).toMatchObject({ state: 'completed' });
      });
    } finally {
      await q.drop();
    }
  });

  it('does not retry a PermanentJobError', async () => {
    const q = await createTestQueue(t.boss, { retryLimit: 3 });
    try {
      await withWorker(testJobs(q.name), {}, async () => {
        const id = await enqueue(t.db, { queue: q.name, type: 'test-permanent' });
        const job = await waitFor('terminal failure', async () => {
          const j = await bossJob(t.boss, q.name, id);
          return j?.state === 'failed' && j;
        });
        expect(job.retryCount).toBe(0);
        expect(job.output).toMatchObject({ message: 'PermanentJobError: the input is unusable' });
        expect(await jobRow(t.db, id)).toMatchObject({ status: 'failed', attempts: 1, error: 'PermanentJobError: the input is unusable' });
      });
    } finally {
      await q.drop();
    }
  });

  it('fails an unknown job type permanently', async () => {
    const q = await createTestQueue(t.boss, { retryLimit: 3 });
    try {
      await withWorker(testJobs(q.name), {}, async () => {
        const id = await enqueue(t.db, { queue: q.name, type: 'no-such-type' });
        const job = await waitFor('terminal failure', async () => {
          const j = await bossJob(t.boss, q.name, id);
          return j?.state === 'failed' && j;
        });
        expect(job.retryCount).toBe(0);
        expect((await jobRow(t.db, id))?.error).toMatch(/no handler for job type "no-such-type"/);
      });
    } finally {
      await q.drop();
    }
  });

  it('runs each job exactly once with two workers side by side', async () => {
    const q = await createTestQueue(t.boss);
    const runs = new Map<string, number>();
    let running = 0;
    let maxRunning = 0;
    const table: JobTable = {
      count: {
        queue: q.name as never,
        definition: {
          parse: (p) => p,
          async run({ jobId }) {
            runs.set(jobId, (runs.get(jobId) ?? 0) + 1);
            maxRunning = Math.max(maxRunning, ++running);
            await new Promise((r) => setTimeout(r, 30));
            running--;
          },
        },
      },
    };
    try {
      await withWorker(table, { WORKER_CONCURRENCY: '3' }, async () => {
        await withWorker(table, { WORKER_CONCURRENCY: '3' }, async () => {
          const ids = await Promise.all(Array.from({ length: 24 }, () => enqueue(t.db, { queue: q.name, type: 'count' })));
          await waitFor('all jobs completed', async () => {
            const rows = await Promise.all(ids.map((id) => jobRow(t.db, id)));
            return rows.every((r) => r?.status === 'completed');
          }, 20_000);
          expect([...runs.keys()].sort()).toEqual([...ids].sort());
          expect([...runs.values()].every((n) => n === 1)).toBe(true);
          // Both workers and their concurrency were actually used.
          expect(maxRunning).toBeGreaterThan(1);
        });
      });
    } finally {
      await q.drop();
    }
  });

  it("empties its own temp folder at start-up and leaves other workers' alone", async () => {
    const tmp = await makeTempDir();
    const config = testConfig({ TEMP_DIR: tmp.dir });
    const own = workerTempRoot(config.tempDir, config.workerId);
    const sibling = path.join(tmp.dir, 'other-worker', 'job-in-flight');
    await mkdir(path.join(own, 'crashed-job', 'segments'), { recursive: true });
    await writeFile(path.join(own, 'crashed-job', 'segments', 'a.m4s'), 'x');
    await mkdir(sibling, { recursive: true });
    const worker = await startWorker({ config, logger, jobTable: () => ({}) });
    try {
      expect(await readdir(own)).toEqual([]);
      expect(await readdir(path.dirname(sibling))).toEqual(['job-in-flight']);
    } finally {
      await worker.stop();
      await tmp.remove();
    }
  });
});

describe('cleanup-temp', () => {
  it('removes stale job folders unless their job is still running', async () => {
    const tmp = await makeTempDir();
    try {
      const old = new Date(Date.now() - 48 * 3_600_000);
      const dirs = {
        staleDone: path.join(tmp.dir, 'w1', 'job-done'),
        staleRunning: path.join(tmp.dir, 'w1', 'job-running'),
        fresh: path.join(tmp.dir, 'w2', 'job-fresh'),
        ownStale: path.join(tmp.dir, 'me', 'job-old'),
      };
      for (const d of Object.values(dirs)) await mkdir(d, { recursive: true });
      await mkdir(path.join(tmp.dir, 'dead-worker'));
      for (const d of [dirs.staleDone, dirs.staleRunning, dirs.ownStale, path.join(tmp.dir, 'dead-worker'), path.join(tmp.dir, 'me')]) await utimes(d, old, old);
      const report = await removeStaleTempDirs(
        { tempDir: tmp.dir, ownRoot: path.join(tmp.dir, 'me'), isRunning: async (id) => id === 'job-running' },
        Date.now() - 24 * 3_600_000,
      );
      expect(report).toEqual({ removedJobDirs: 2, removedWorkerDirs: 1, keptRunning: 1 });
      expect((await readdir(tmp.dir)).sort()).toEqual(['me', 'w1', 'w2']);
      expect(await readdir(path.join(tmp.dir, 'w1'))).toEqual(['job-running']);
      expect(await readdir(path.join(tmp.dir, 'me'))).toEqual([]);
    } finally {
      await tmp.remove();
    }
  });

  it('is on the system queue and validates its payload', () => {
    const table = createJobTable({ db: t.db, tempDir: '/nonexistent', ownTempRoot: '/nonexistent/me', config: testConfig(mediaEnv()) });
    expect(table['cleanup-temp'].queue).toBe('system');
    expect(() => table['cleanup-temp'].definition.parse({ olderThanHours: -1 })).toThrow();
    expect(table['cleanup-temp'].definition.parse(undefined)).toEqual({ olderThanHours: 24 });
  });

  it('registers transcode on the transcode queue and needs the media bucket for it', () => {
    const table = createJobTable({ db: t.db, tempDir: '/nonexistent', ownTempRoot: '/nonexistent/me', config: testConfig(mediaEnv()) });
    expect(table.transcode.queue).toBe('transcode');
    expect(() => table.transcode.definition.parse({ assetId: 'nope', version: 1 })).toThrow();
    const { MEDIA_BUCKET: _omitted, ...withoutBucket } = mediaEnv();
    expect(() => createJobTable({ db: t.db, tempDir: '/nonexistent', ownTempRoot: '/nonexistent/me', config: testConfig(withoutBucket) })).toThrow(
      'invalid configuration: MEDIA_BUCKET is required: the transcode job writes to the media bucket',
    );
  });
});
