import net from 'node:net';
import { neon, neonConfig } from '@neondatabase/serverless';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNeonEndpoint, type NeonEndpoint } from '../../scripts/stack/neon-endpoint.ts';
import { QUEUES, type QueueName } from '../queues.ts';
import { enqueueJob, getJob, markJobCompleted, markJobFailed, markJobRunning, updateJobProgress } from '../sql/jobs.ts';
import { batch, run, useTempDatabase } from './helpers/databases.ts';

const t = useTempDatabase();

function transcodeJob(id = crypto.randomUUID()) {
  return { id, queue: 'transcode' as const, type: 'transcode-asset', subjectType: 'video_asset', subjectId: crypto.randomUUID(), data: { version: 2, note: 'نسخهٔ دوم' } };
}

async function bossRow(id: string) {
  const { rows } = await t.client.query(
    `SELECT name, state, data, priority, retry_limit, retry_delay, retry_backoff, retry_delay_max, expire_seconds,
            deletion_seconds, heartbeat_seconds, policy, dead_letter,
            extract(epoch FROM keep_until - start_after)::int AS keep_seconds, start_after <= now() AS startable
     FROM pgboss.job WHERE id = $1`,
    [id],
  );
  return rows[0];
}

describe('enqueueJob', () => {
  it('inserts our jobs row and the pg-boss job with the same id and the queue policy, in one pg transaction', async () => {
    const input = transcodeJob();
    const [first] = await batch(t.client, enqueueJob(input));
    expect(first).toEqual([{ id: input.id }]);

    const [row] = await run(t.client, getJob(input.id));
    expect(row).toMatchObject({
      id: input.id,
      queue: 'transcode',
      type: 'transcode-asset',
      subjectType: 'video_asset',
      subjectId: input.subjectId,
      status: 'queued',
      payload: input.data,
      attempts: 0,
      progress: 0,
      step: null,
      error: null,
      startedAt: null,
      finishedAt: null,
    });
    expect(row!.createdAt).toBeInstanceOf(Date);

    const policy = QUEUES.transcode;
    expect(await bossRow(input.id)).toEqual({
      name: 'transcode',
      state: 'created',
      data: { type: 'transcode-asset', payload: input.data },
      priority: 0,
      retry_limit: policy.retryLimit,
      retry_delay: policy.retryDelay,
      retry_backoff: policy.retryBackoff,
      retry_delay_max: policy.retryDelayMax,
      expire_seconds: policy.expireInSeconds,
      deletion_seconds: policy.deleteAfterSeconds,
      heartbeat_seconds: policy.heartbeatSeconds,
      policy: 'standard',
      dead_letter: null,
      keep_seconds: policy.retentionSeconds,
      startable: true,
    });
  });

  it('generates an id when none is given and returns it from the first statement', async () => {
    const { id: _ignored, ...input } = transcodeJob();
    const statements = enqueueJob(input);
    const [[created]] = (await batch(t.client, statements)) as [[{ id: string }]];
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await bossRow(created.id)).toMatchObject({ name: 'transcode', state: 'created' });
  });

  it('defers a job to startAfter, retention counted from then', async () => {
    const startAfter = new Date(Date.now() + 3_600_000);
    const input = { ...transcodeJob(), startAfter };
    await batch(t.client, enqueueJob(input));
    const { rows } = await t.client.query('SELECT start_after, extract(epoch FROM keep_until - start_after)::int AS keep FROM pgboss.job WHERE id = $1', [input.id]);
    expect(rows[0]).toEqual({ start_after: startAfter, keep: QUEUES.transcode.retentionSeconds });
  });

  it('produces a job pg-boss itself fetches, with the data the worker dispatches on', async () => {
    const input = { ...transcodeJob(), queue: 'system' as const, type: 'cleanup-temp', data: { olderThanHours: 6 } };
    await batch(t.client, enqueueJob(input));
    const boss = new PgBoss({ connectionString: t.db.url, migrate: false, supervise: false, schedule: false, registerInstance: false, max: 1 });
    boss.on('error', () => undefined);
    await boss.start();
    try {
      const jobs = await boss.fetch<{ type: string; payload: unknown }>('system', { includeMetadata: true, batchSize: 10 });
      const job = jobs.find((j) => j.id === input.id);
      expect(job).toMatchObject({
        data: { type: 'cleanup-temp', payload: { olderThanHours: 6 } },
        retryLimit: QUEUES.system.retryLimit,
        heartbeatSeconds: QUEUES.system.heartbeatSeconds,
        expireInSeconds: QUEUES.system.expireInSeconds,
        state: 'active',
      });
      await boss.complete('system', input.id);
    } finally {
      await boss.stop({ graceful: false, close: true });
    }
  });

  it('fails loudly on an unknown queue and leaves no jobs row', async () => {
    const input = { ...transcodeJob(), queue: 'no-such-queue' as QueueName };
    await expect(batch(t.client, enqueueJob(input))).rejects.toMatchObject({
      code: 'P0001',
      message: 'enqueueJob: queue "no-such-queue" does not exist',
    });
    expect(await run(t.client, getJob(input.id))).toEqual([]);
    expect(await bossRow(input.id)).toBeUndefined();
  });

  describe('over the Neon HTTP driver (params as text, the batch as one transaction)', () => {
    let endpoint: NeonEndpoint;

    beforeAll(async () => {
      endpoint = await startNeonEndpoint({ port: await freePort() });
      neonConfig.fetchEndpoint = endpoint.fetchEndpoint;
    });

    afterAll(async () => {
      await endpoint?.close();
    });

    it('enqueues both rows in one batch', async () => {
      const http = neon(t.db.url);
      const input = transcodeJob();
      const results = await http.transaction(enqueueJob(input).map((s) => http.query(s.text, [...s.params])));
      expect(results).toEqual([[{ id: input.id }], [{ id: input.id }]]);
      expect(await run(t.client, getJob(input.id))).toHaveLength(1);
      expect(await bossRow(input.id)).toMatchObject({ name: 'transcode', retry_limit: QUEUES.transcode.retryLimit });
    });

    it('rolls the whole batch back on an unknown queue', async () => {
      const http = neon(t.db.url);
      const input = { ...transcodeJob(), queue: 'nope' as QueueName };
      await expect(http.transaction(enqueueJob(input).map((s) => http.query(s.text, [...s.params])))).rejects.toMatchObject({
        code: 'P0001',
      });
      expect(await run(t.client, getJob(input.id))).toEqual([]);
    });

    it('runs the bookkeeping statements with numbers and booleans sent as text', async () => {
      const http = neon(t.db.url);
      const input = transcodeJob();
      await http.transaction(enqueueJob(input).map((s) => http.query(s.text, [...s.params])));
      const exec = async (s: { text: string; params: readonly unknown[] }) => (await http.query(s.text, [...s.params])) as Record<string, unknown>[];
      await exec(markJobRunning(input.id, 1));
      expect((await exec(updateJobProgress(input.id, 12.5, 'probe')))[0]).toMatchObject({ progress: 13, step: 'probe' });
      const [failed] = await exec(markJobFailed(input.id, 'bad source', true));
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: 'bad source', subjectType: 'video_asset' });
      expect(failed!.finishedAt).toBeInstanceOf(Date);
    });
  });
});

describe('job bookkeeping', () => {
  async function enqueued(): Promise<string> {
    const input = transcodeJob();
    await batch(t.client, enqueueJob(input));
    return input.id;
  }

  it('tracks a job through a failed attempt, a retry and completion', async () => {
    const id = await enqueued();

    const [running] = await run(t.client, markJobRunning(id, 1));
    expect(running).toMatchObject({ status: 'running', attempts: 1, progress: 0 });
    expect(running!.startedAt).toBeInstanceOf(Date);

    expect((await run(t.client, updateJobProgress(id, 37.6, 'encode 720p')))[0]).toMatchObject({ progress: 38, step: 'encode 720p' });
    expect((await run(t.client, updateJobProgress(id, 250, null)))[0]).toMatchObject({ progress: 100, step: 'encode 720p' });
    expect((await run(t.client, updateJobProgress(id, -3, 'package')))[0]).toMatchObject({ progress: 0, step: 'package' });

    const [retrying] = await run(t.client, markJobFailed(id, 'object store timed out', false));
    expect(retrying).toMatchObject({ status: 'queued', error: 'object store timed out', finishedAt: null });
    // Progress is only written while running.
    expect(await run(t.client, updateJobProgress(id, 50, 'late'))).toEqual([]);

    const [second] = await run(t.client, markJobRunning(id, 2));
    expect(second).toMatchObject({ status: 'running', attempts: 2, progress: 0, step: null, error: 'object store timed out' });

    const [done] = await run(t.client, markJobCompleted(id));
    expect(done).toMatchObject({ status: 'completed', progress: 100, error: null });
    expect(done!.finishedAt).toBeInstanceOf(Date);

    // Finished jobs are not rewritten by a late worker.
    expect(await run(t.client, markJobFailed(id, 'late failure', true))).toEqual([]);
    expect(await run(t.client, markJobRunning(id, 3))).toEqual([]);
  });

  it('ignores writes from an attempt that lost its claim', async () => {
    const id = await enqueued();
    await run(t.client, markJobRunning(id, 1));
    // The heartbeat timed out; pg-boss handed the job to another worker as attempt 2.
    await run(t.client, markJobRunning(id, 2));
    expect(await run(t.client, updateJobProgress(id, 90, 'stale', 1))).toEqual([]);
    expect(await run(t.client, markJobCompleted(id, 1))).toEqual([]);
    expect(await run(t.client, markJobFailed(id, 'stale failure', true, 1))).toEqual([]);
    const [current] = await run(t.client, markJobCompleted(id, 2));
    expect(current).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it('records a final failure with its reason', async () => {
    const id = await enqueued();
    await run(t.client, markJobRunning(id, 4));
    const [failed] = await run(t.client, markJobFailed(id, 'ffmpeg exited with code 1', true));
    expect(failed).toMatchObject({ status: 'failed', error: 'ffmpeg exited with code 1', attempts: 4 });
    expect(failed!.finishedAt).toBeInstanceOf(Date);
  });

  it('finds nothing for an unknown id', async () => {
    expect(await run(t.client, getJob(crypto.randomUUID()))).toEqual([]);
    expect(await run(t.client, markJobRunning(crypto.randomUUID(), 1))).toEqual([]);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
