// A DRM-protected asset end to end through the real transcode job: a content
// key is made and stored wrapped under the KEK, HLS is packaged with cbcs
// (SAMPLE-AES, key URI relative to the token path) and DASH with cenc, each in
// its own folder, and the DASH output decrypts with the stored key.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unwrapContentKey, type Kek } from '../../db/drm/content-keys.ts';
import { transcodeJob } from '../src/jobs/transcode.ts';
import { createLogger } from '../src/logger.ts';
import type { MediaStore } from '../src/media/object-store.ts';
import { runProcess } from '../src/media/run-process.ts';
import { startWorker } from '../src/worker.ts';
import { createTestQueue, enqueue, makeTempDir, openTestDb, testConfig, waitFor, type TestDb } from './helpers/db.ts';
import { binaries, generateClip, seedAsset, testStore } from './helpers/media.ts';

const KEKS: Kek[] = [{ id: 'test-kek', key: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64') }];
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

describe('DRM packaging', () => {
  it('encrypts HLS with cbcs and DASH with cenc under a per-version key stored only wrapped', { timeout: 90_000 }, async () => {
    const q = await createTestQueue(t.boss, { retryLimit: 1 });
    const tmp = await makeTempDir();
    const worker = await startWorker({
      config: testConfig({ TEMP_DIR: path.join(tmp.dir, 'work') }),
      logger: createLogger({ level: 'error', write: () => undefined }),
      jobTable: (services) => ({ transcode: { queue: q.name as 'transcode', definition: transcodeJob({ db: services.db, store, binaries, ladderSizes: [240], x264Preset: 'ultrafast', progressIntervalMs: 0, keks: KEKS }) } }),
    });
    try {
      const clip = await generateClip(path.join(tmp.dir, 'clip.mp4'), { width: 426, height: 240, seconds: 3, audioLanguages: ['fas'] });
      const asset = await seedAsset(t.pool, store, { file: clip });
      await t.pool.query(`UPDATE video_assets SET drm_protected = true WHERE id = $1`, [asset.assetId]);
      await enqueue(t.db, { queue: q.name, type: 'transcode', payload: { assetId: asset.assetId, version: 1 } });
      await waitFor('asset ready', async () => {
        const { rows } = await t.pool.query(`SELECT status, failure_reason FROM video_assets WHERE id = $1`, [asset.assetId]);
        if (rows[0].status === 'failed') throw new Error(rows[0].failure_reason);
        return rows[0].status === 'ready';
      }, 60_000);

      const keys = (await store.list(asset.prefix)).map((o) => o.key.slice(asset.prefix.length));
      expect(keys).toContain('hls/master.m3u8');
      expect(keys).toContain('dash/manifest.mpd');
      expect(keys).not.toContain('master.m3u8');
      const playlist = await store.getText(`${asset.prefix}hls/video/240p/playlist.m3u8`);
      expect(playlist).toMatch(/#EXT-X-KEY:METHOD=SAMPLE-AES,URI="\.\.\/\.\.\/\.\.\/keys\/hls"/);
      const { rows: [v] } = await t.pool.query(
        `SELECT drm_key_id::text AS "keyId", kek_id AS "kekId", encrypted_content_key AS wrapped, hls_manifest_key AS hls, dash_manifest_key AS dash FROM video_asset_versions WHERE asset_id = $1 AND version = 1`,
        [asset.assetId],
      );
      expect(v).toMatchObject({ kekId: 'test-kek', hls: `${asset.prefix}hls/master.m3u8`, dash: `${asset.prefix}dash/manifest.mpd` });
      const mpd = await store.getText(`${asset.prefix}dash/manifest.mpd`);
      expect(mpd).toContain(`cenc:default_KID="${v.keyId}"`);
      expect(mpd).toContain('ContentProtection');

      const key = await unwrapContentKey(KEKS, { assetId: asset.assetId, version: 1, keyId: v.keyId, kekId: v.kekId, wrapped: new Uint8Array(v.wrapped) });
      expect(Buffer.from(v.wrapped).includes(Buffer.from(key))).toBe(false);
      // The DASH segments really are encrypted with that key: ffmpeg decodes them only with it.
      const file = path.join(tmp.dir, 'dash-video.mp4');
      await store.download(`${asset.prefix}dash/video/240p/init.mp4`, `${file}.init`);
      await store.download(`${asset.prefix}dash/video/240p/seg-00001.m4s`, `${file}.seg`);
      const init = await readFile(`${file}.init`);
      // Encrypted sample entries and the track encryption box carrying the key id.
      expect(init.includes(Buffer.from('encv'))).toBe(true);
      expect(init.includes(Buffer.from(v.keyId.replace(/-/g, ''), 'hex'))).toBe(true);
      await writeFile(file, Buffer.concat([init, await readFile(`${file}.seg`)]));
      const decoded = path.join(tmp.dir, 'decoded.y4m');
      await runProcess({ step: 'decrypt', input: 'test', command: binaries.ffmpeg, args: ['-hide_banner', '-loglevel', 'error', '-y', '-decryption_key', Buffer.from(key).toString('hex'), '-i', file, '-frames:v', '10', decoded], timeoutMs: 30_000 });
      expect((await readFile(decoded)).byteLength).toBeGreaterThan(10 * 426 * 240);
    } finally {
      await worker.stop();
      await q.drop();
      await tmp.remove();
    }
  });
});
