// The worker as a real process: health endpoint, start-up sweep, SIGTERM.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bossJob, createTestQueue, enqueue, jobRow, makeTempDir, openTestDb, waitFor, type TestDb } from './helpers/db.ts';
import { ROOT, getHealth, startMain } from './helpers/process.ts';

const FIXTURE = path.join(ROOT, 'origin-worker/test/fixtures/worker-with-test-jobs.ts');
let t: TestDb;

beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t?.close();
});

describe('origin worker process', () => {
  it('answers /health with 200, empties its temp folder at start-up and exits 0 on SIGINT', async () => {
    const tmp = await makeTempDir();
    const workerId = `proc-${randomUUID().slice(0, 8)}`;
    const leftover = path.join(tmp.dir, workerId, 'crashed-job');
    await mkdir(leftover, { recursive: true });
    await writeFile(path.join(leftover, 'part.mp4'), 'x');
    // The real entry point, on the `system` queue only: other test files enqueue
    // on the shared `transcode` queue and expect their jobs to stay there.
    const w = await startMain({ env: { WORKER_ID: workerId, TEMP_DIR: tmp.dir, WORKER_POLL_SECONDS: '30', WORKER_QUEUES: 'system' } });
    try {
      expect(await readdir(path.join(tmp.dir, workerId))).toEqual([]);
      expect(w.lines.find((l) => l.message === 'removed temp folders left by a previous run')).toMatchObject({ workerId, fields: { count: 1 } });
      const health = await getHealth(w.healthPort);
      expect(health).toEqual({ status: 200, body: { status: 'ok', workerId, activeJobs: 0, shuttingDown: false } });
      w.proc.kill('SIGINT');
      expect(await w.exited).toBe(0);
    } finally {
      w.proc.kill('SIGKILL');
      await tmp.remove();
    }
  });

  it('on SIGTERM stops claiming, lets short jobs finish, aborts and releases the rest, reports 503 and exits 0', async () => {
    const q = await createTestQueue(t.boss, { retryLimit: 2 });
    const tmp = await makeTempDir();
    const w = await startMain({
      script: FIXTURE,
      env: { TEST_QUEUE: q.name, TEMP_DIR: tmp.dir, WORKER_CONCURRENCY: '2', WORKER_POLL_SECONDS: '0.5', SHUTDOWN_GRACE_SECONDS: '2' },
    });
    try {
      const long = await enqueue(t.db, { queue: q.name, type: 'test-sleep', payload: { ms: 60_000 } });
      const short = await enqueue(t.db, { queue: q.name, type: 'test-sleep', payload: { ms: 1_000 } });
      await waitFor('both jobs running', async () => {
        const rows = await Promise.all([jobRow(t.db, long), jobRow(t.db, short)]);
        return rows.every((r) => r?.status === 'running');
      });
      expect((await getHealth(w.healthPort)).body).toMatchObject({ status: 'ok', activeJobs: 2 });

      const signalledAt = Date.now();
      w.proc.kill('SIGTERM');
      await w.waitForLog('stopping: no new jobs');
      const during = await getHealth(w.healthPort);
      expect(during).toMatchObject({ status: 503, body: { status: 'shutting_down', shuttingDown: true } });
      // Enqueued after the signal: a worker with a free slot that still polled would take it.
      const late = await enqueue(t.db, { queue: q.name, type: 'test-sleep', payload: { ms: 10 } });

      expect(await w.exited).toBe(0);
      const took = Date.now() - signalledAt;
      expect(took).toBeGreaterThanOrEqual(1_900);
      expect(took).toBeLessThan(8_000);

      expect(await jobRow(t.db, short)).toMatchObject({ status: 'completed' });
      expect(await bossJob(t.boss, q.name, short)).toMatchObject({ state: 'completed' });
      // Released: back in pg-boss's retry state for another worker; our row is queued again, with the reason.
      expect(await bossJob(t.boss, q.name, long)).toMatchObject({ state: 'retry' });
      expect(await jobRow(t.db, long)).toMatchObject({ status: 'queued', attempts: 1, error: 'aborted: the worker shut down or the attempt expired' });
      expect(await bossJob(t.boss, q.name, late)).toMatchObject({ state: 'created' });
      expect(await jobRow(t.db, late)).toMatchObject({ status: 'queued' });
    } finally {
      w.proc.kill('SIGKILL');
      await tmp.remove();
      await q.drop();
    }
  });
});

describe('a worker killed mid-job', () => {
  it('is noticed through lost heartbeats and its job is retried by another worker', async () => {
    // pg-boss's minimum heartbeat; the survivor supervises every second.
    const q = await createTestQueue(t.boss, { retryLimit: 2, heartbeatSeconds: 10 });
    const tmp = await makeTempDir();
    const env = { TEST_QUEUE: q.name, TEMP_DIR: tmp.dir, WORKER_POLL_SECONDS: '0.5', SHUTDOWN_GRACE_SECONDS: '0' };
    const doomed = await startMain({ script: FIXTURE, env: { ...env, WORKER_ID: 'doomed', WORKER_SUPERVISE_SECONDS: '3600' } });
    let survivor: Awaited<ReturnType<typeof startMain>> | undefined;
    try {
      const id = await enqueue(t.db, { queue: q.name, type: 'test-sleep', payload: { ms: 60_000 } });
      await waitFor('first attempt running', async () => (await jobRow(t.db, id))?.status === 'running');
      doomed.proc.kill('SIGKILL');
      await doomed.exited;
      const killedAt = Date.now();
      survivor = await startMain({ script: FIXTURE, env: { ...env, WORKER_ID: 'survivor', WORKER_SUPERVISE_SECONDS: '1' } });
      const row = await waitFor('second attempt running', async () => {
        const r = await jobRow(t.db, id);
        return r?.status === 'running' && r.attempts === 2 && r;
      }, 20_000);
      expect(row.attempts).toBe(2);
      expect(Date.now() - killedAt).toBeLessThan(16_000);
      const job = await bossJob(t.boss, q.name, id);
      expect(job).toMatchObject({ state: 'active', retryCount: 1 });
      survivor.proc.kill('SIGTERM');
      expect(await survivor.exited).toBe(0);
    } finally {
      doomed.proc.kill('SIGKILL');
      survivor?.proc.kill('SIGKILL');
      await tmp.remove();
      await q.drop();
    }
  });
});
