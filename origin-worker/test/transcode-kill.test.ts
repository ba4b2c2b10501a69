// A worker killed with SIGKILL in the middle of a real transcode (after the
// asset went playable, while the other rungs encode): another worker picks the
// job up once the heartbeat is lost, and the asset ends `ready` with a complete
// output set.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaStore } from '../src/media/object-store.ts';
import { bossJobIn, createTestQueue, enqueue, jobRow, makeTempDir, openTestDb, waitFor, type TestDb } from './helpers/db.ts';
import { dashSegmentFiles, generateClip, masterEntries, seedAsset, testStore } from './helpers/media.ts';
import { ROOT, startMain } from './helpers/process.ts';

const FIXTURE = path.join(ROOT, 'origin-worker/test/fixtures/worker-with-test-transcode.ts');
let t: TestDb;
let store: MediaStore;

beforeAll(async () => {
  t = await openTestDb();
  store = testStore();
});
afterAll(async () => {
  store?.destroy();
  await t?.close();
});

async function assetStatus(assetId: string): Promise<string> {
  const { rows } = await t.pool.query(`SELECT status, failure_reason FROM video_assets WHERE id = $1`, [assetId]);
  if (rows[0].status === 'failed') throw new Error(`asset failed: ${rows[0].failure_reason}`);
  return rows[0].status as string;
}

describe('a worker killed mid-transcode', () => {
  it('loses the job to another worker, and the asset still ends ready with a complete set', { timeout: 90_000 }, async () => {
    // pg-boss's minimum heartbeat; the survivor supervises every second.
    const q = await createTestQueue(t.boss, { retryLimit: 2, heartbeatSeconds: 10 });
    const tmp = await makeTempDir();
    // Long enough that the second pass (480p + 360p) takes a few seconds.
    const clip = await generateClip(path.join(tmp.dir, 'clip.mp4'), { width: 854, height: 480, seconds: 30, audioLanguages: ['fas'] });
    const env = { TEST_QUEUE: q.name, TEMP_DIR: path.join(tmp.dir, 'work'), WORKER_POLL_SECONDS: '0.5', SHUTDOWN_GRACE_SECONDS: '0' };
    const doomed = await startMain({ script: FIXTURE, env: { ...env, WORKER_ID: 'doomed', WORKER_SUPERVISE_SECONDS: '3600' } });
    let survivor: Awaited<ReturnType<typeof startMain>> | undefined;
    try {
      const asset = await seedAsset(t.pool, store, { file: clip });
      const jobId = await enqueue(t.db, { queue: q.name, type: 'transcode', payload: { assetId: asset.assetId, version: 1 } });
      await waitFor('asset playable', async () => (await assetStatus(asset.assetId)) === 'playable', 30_000);
      doomed.proc.kill('SIGKILL');
      await doomed.exited;
      expect(await assetStatus(asset.assetId)).toBe('playable');

      survivor = await startMain({ script: FIXTURE, env: { ...env, WORKER_ID: 'survivor', WORKER_SUPERVISE_SECONDS: '1' } });
      await waitFor('asset ready', async () => (await assetStatus(asset.assetId)) === 'ready', 45_000);
      // Our row is closed by the worker loop just after the asset went ready.
      const done = await waitFor('job row completed', async () => {
        const row = await jobRow(t.db, jobId);
        return row?.status === 'completed' && row;
      });
      expect(done).toMatchObject({ status: 'completed', attempts: 2, progress: 100 });
      expect(await bossJobIn(t.boss, q.name, jobId, 'completed')).toMatchObject({ state: 'completed', retryCount: 1 });

      // Complete: every rung in the master, every segment the MPD names in the bucket.
      const master = masterEntries(await store.getText(`${asset.prefix}master.m3u8`));
      expect(master.variants.map((v) => v.resolution).sort()).toEqual(['428x240', '640x360', '854x480']);
      const keys = new Set((await store.list(asset.prefix)).map((o) => o.key.slice(asset.prefix.length)));
      const named = dashSegmentFiles(await store.getText(`${asset.prefix}manifest.mpd`));
      expect(named.length).toBeGreaterThan(60);
      expect(named.filter((f) => !keys.has(f))).toEqual([]);
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
