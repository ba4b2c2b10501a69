// The transcode job end to end on real ffmpeg, Shaka Packager, Postgres and the
// S3-compatible store, with a tiny generated clip: 854x480, 4 s, two audio
// tracks (eng, fas). The ladder here is 480/360/240, so the lowest rung (240p)
// goes out first and the other two share one decode.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudioTracks, listRenditions } from '../../db/sql/video-assets.ts';
import { startWorker } from '../src/worker.ts';
import { createLogger } from '../src/logger.ts';
import { transcodeJob } from '../src/jobs/transcode.ts';
import { catalogVersionBumper } from '../src/catalog-cache.ts';
import { Redis } from '@upstash/redis';
import { CATALOG_VERSION_KEY } from '../../db/cache/catalog-version.ts';
import type { MediaStore } from '../src/media/object-store.ts';
import { bossJobIn, createTestQueue, enqueue, jobRow, makeTempDir, openTestDb, testConfig, waitFor, type TestDb } from './helpers/db.ts';
import {
  SUBTITLES_EN,
  SUBTITLES_FA,
  binaries,
  dashSegmentFiles,
  downloadPrefix,
  ffprobeJson,
  generateClip,
  hlsSegmentFiles,
  keyframeTimes,
  masterEntries,
  seedAsset,
  testStore,
  writeRandomFile,
} from './helpers/media.ts';

const LADDER = [480, 360, 240];
let t: TestDb;
let store: MediaStore;
let fixtures: Awaited<ReturnType<typeof makeTempDir>>;
let clip: string;
const upstash = new Redis({ url: process.env.UPSTASH_REDIS_REST_URL!, token: process.env.UPSTASH_REDIS_REST_TOKEN!, enableTelemetry: false });

beforeAll(async () => {
  t = await openTestDb();
  store = testStore();
  fixtures = await makeTempDir();
  clip = await generateClip(path.join(fixtures.dir, 'clip.mp4'), { width: 854, height: 480, seconds: 4, audioLanguages: ['eng', 'fas'] });
});
afterAll(async () => {
  store?.destroy();
  await fixtures?.remove();
  await t?.close();
});

async function assetRow(assetId: string) {
  const { rows } = await t.pool.query(
    `SELECT a.status, a.progress, a.current_step AS "currentStep", a.failure_reason AS "failureReason",
            v.duration_seconds::float8 AS duration, v.hls_manifest_key AS "hlsKey", v.dash_manifest_key AS "dashKey",
            v.poster_key AS "posterKey", v.storyboard_key AS "storyboardKey", v.ready_at AS "readyAt"
     FROM video_assets a LEFT JOIN video_asset_versions v ON v.asset_id = a.id AND v.version = a.version
     WHERE a.id = $1`,
    [assetId],
  );
  return rows[0];
}

/** A worker in this process with the production transcode job on a queue of the test's own. */
async function startTranscodeWorker(queue: string, tempDir: string) {
  const logLines: string[] = [];
  const worker = await startWorker({
    config: testConfig({ TEMP_DIR: tempDir }),
    logger: createLogger({ level: 'info', write: (l) => logLines.push(l) }),
    jobTable: (services) => ({
      transcode: {
        queue: queue as 'transcode',
        definition: transcodeJob({ db: services.db, store, binaries, ladderSizes: LADDER, x264Preset: 'veryfast', progressIntervalMs: 0, catalogChanged: catalogVersionBumper(testConfig({ UPSTASH_REDIS_REST_URL: process.env.UPSTASH_REDIS_REST_URL!, UPSTASH_REDIS_REST_TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN! })) }),
      },
    }),
  });
  return { worker, logLines };
}

describe('transcode job', () => {
  it('takes a queued asset through processing and playable (lowest rung first) to ready, with a complete CMAF set', async () => {
    const q = await createTestQueue(t.boss, { retryLimit: 2 });
    const tmp = await makeTempDir();
    const { worker } = await startTranscodeWorker(q.name, tmp.dir);
    const out = await makeTempDir();
    try {
      const asset = await seedAsset(t.pool, store, { file: clip }, [
        { lang: 'en', label: 'English', body: SUBTITLES_EN },
        { lang: 'fa', label: 'فارسی', body: SUBTITLES_FA },
      ]);
      expect((await assetRow(asset.assetId)).status).toBe('queued');
      const catalogVersion = async () => Number((await upstash.get<string>(CATALOG_VERSION_KEY)) ?? 0);
      const versionBefore = await catalogVersion();
      const jobId = await enqueue(t.db, { queue: q.name, type: 'transcode', payload: { assetId: asset.assetId, version: 1 } });

      // Watch the asset the way an editor's screen would, and grab the master
      // playlist the moment the asset turns playable.
      const seen: string[] = [];
      let playableMaster: string | undefined;
      await waitFor('asset ready', async () => {
        const row = await assetRow(asset.assetId);
        if (seen.at(-1) !== row.status) seen.push(row.status);
        if (row.status === 'playable' && !playableMaster) playableMaster = await store.getText(`${asset.prefix}master.m3u8`);
        if (row.status === 'failed') throw new Error(`transcode failed: ${row.failureReason}`);
        return row.status === 'ready';
      }, 25_000);
      expect(seen.filter((s) => s !== 'queued')).toEqual(['processing', 'playable', 'ready']);
      // Published early: the master named the lowest rung only, with both audio tracks.
      const early = masterEntries(playableMaster!);
      expect(early.variants).toEqual([{ uri: 'video/240p/playlist.m3u8', resolution: '428x240' }]);
      expect(early.media.filter((m) => m.type === 'AUDIO').map((m) => m.language).sort()).toEqual(['en', 'fa']);

      const done = await waitFor('job row completed', async () => {
        const row = await jobRow(t.db, jobId);
        return row?.status === 'completed' && row;
      });
      expect(done).toMatchObject({ status: 'completed', progress: 100, attempts: 1 });
      const row = await assetRow(asset.assetId);
      expect(row).toMatchObject({ status: 'ready', progress: 100, currentStep: 'done', failureReason: null, hlsKey: `${asset.prefix}master.m3u8`, dashKey: `${asset.prefix}manifest.mpd` });
      expect(row.duration).toBeCloseTo(4, 0);
      expect(row.readyAt).toBeInstanceOf(Date);
      // The catalog learns of it: its cache version moved on (playable, then ready;
      // other files may bump it too), and the title's languages are the tracks'.
      expect((await catalogVersion()) - versionBefore).toBeGreaterThanOrEqual(2);
      const { rows: [title] } = await t.pool.query(`SELECT c.audio_languages AS audio, c.subtitle_languages AS subtitles FROM content c JOIN video_assets a ON a.movie_id = c.id WHERE a.id = $1`, [asset.assetId]);
      expect(title).toEqual({ audio: ['en', 'fa'], subtitles: ['en', 'fa'] });
      expect(await t.db.run(listRenditions(asset.assetId, 1))).toMatchObject([
        { height: 480, width: 854, bitrate: 1_400_000, codec: 'h264', frameRate: 30, storageKey: `${asset.prefix}video/480p/playlist.m3u8` },
        { height: 360, width: 640, bitrate: 800_000, codec: 'h264', storageKey: `${asset.prefix}video/360p/playlist.m3u8` },
        { height: 240, width: 428, bitrate: 400_000, codec: 'h264', storageKey: `${asset.prefix}video/240p/playlist.m3u8` },
      ]);
      expect(await t.db.run(listAudioTracks(asset.assetId, 1))).toMatchObject([
        { lang: 'eng', codec: 'aac', channels: 2, isDefault: true, isOriginal: true, storageKey: `${asset.prefix}audio/0-eng/playlist.m3u8` },
        { lang: 'fas', codec: 'aac', channels: 2, isDefault: false, storageKey: `${asset.prefix}audio/1-fas/playlist.m3u8` },
      ]);

      // Everything back from the bucket; ffprobe reads each rung from the master playlist.
      const files = await downloadPrefix(store, asset.prefix, out.dir);
      const master = await readFile(path.join(out.dir, 'master.m3u8'), 'utf8');
      const { variants, media } = masterEntries(master);
      expect(variants.map((v) => v.resolution).sort()).toEqual(['428x240', '640x360', '854x480']);
      const probed = await ffprobeJson(path.join(out.dir, 'master.m3u8'), ['-show_entries', 'stream=codec_name,width,height']);
      const sizes = (probed.programs as { streams: { codec_name: string; width?: number; height?: number }[] }[]).map((p) => p.streams.find((s) => s.codec_name === 'h264')).map((s) => `${s!.width}x${s!.height}`);
      expect(sizes.sort()).toEqual(['428x240', '640x360', '854x480']);
      for (const v of variants) {
        // 2 s GOPs, on the same timestamps in every rung.
        expect(await keyframeTimes(path.join(out.dir, v.uri))).toEqual([0, 2]);
      }

      // Audio in both languages, English the default; both subtitle languages; in both manifests.
      expect(media.filter((m) => m.type === 'AUDIO').map((m) => [m.language, m.isDefault]).sort()).toEqual([['en', true], ['fa', false]]);
      expect(media.filter((m) => m.type === 'SUBTITLES').map((m) => [m.language, m.isDefault]).sort()).toEqual([['en', false], ['fa', false]]);
      const mpd = await readFile(path.join(out.dir, 'manifest.mpd'), 'utf8');
      expect(mpd).toContain('type="static"');
      const adaptationSets = [...mpd.matchAll(/<AdaptationSet [^>]*contentType="(\w+)"(?: [^>]*?lang="(\w+)")?/g)].map((m) => `${m[1]}:${m[2] ?? ''}`);
      expect(adaptationSets.sort()).toEqual(['audio:en', 'audio:fa', 'text:en', 'text:fa', 'video:']);
      expect([...mpd.matchAll(/<Representation [^>]*height="(\d+)"/g)].map((m) => m[1]).sort()).toEqual(['240', '360', '480']);

      // DASH and HLS name exactly the same segment files, and every one is in the bucket.
      const hlsFiles = new Set<string>();
      for (const uri of [...variants.map((v) => v.uri), ...media.map((m) => m.uri)]) {
        for (const f of hlsSegmentFiles(await readFile(path.join(out.dir, uri), 'utf8'), uri)) hlsFiles.add(f);
      }
      const dashFiles = new Set(dashSegmentFiles(mpd));
      expect([...dashFiles].sort()).toEqual([...hlsFiles].sort());
      expect(dashFiles.size).toBeGreaterThan(10);
      for (const f of dashFiles) expect(files).toContain(f);
      const subtitleText = await readFile(path.join(out.dir, 'text/fa/seg-00001.vtt'), 'utf8');
      expect(subtitleText).toContain('سلام');

      // Poster and storyboard.
      expect(files).toContain('images/poster.jpg');
      const poster = await ffprobeJson(path.join(out.dir, 'images/poster.jpg'), ['-show_entries', 'stream=codec_name,width,height']);
      expect(poster.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 854, height: 480 });
      const thumbs = await readFile(path.join(out.dir, 'images/storyboard/thumbnails.vtt'), 'utf8');
      expect(thumbs).toMatch(/^WEBVTT\n/);
      expect(thumbs).toContain('00:00:00.000 --> 00:00:01.000\nsprite-001.jpg#xywh=0,0,160,90');
      expect(thumbs).toContain('00:00:03.000 --> 00:00:04.000\nsprite-001.jpg#xywh=480,0,160,90');
      expect(files).toContain('images/storyboard/sprite-001.jpg');

      // Nothing left on local disk.
      expect(await readdir(path.join(tmp.dir, worker.workerId))).toEqual([]);
    } finally {
      await worker.stop();
      await out.remove();
      await tmp.remove();
      await q.drop();
    }
  });

  it('fails a file that is not a video at once: asset failed with the reason, job failed without a retry', async () => {
    const q = await createTestQueue(t.boss, { retryLimit: 2 });
    const tmp = await makeTempDir();
    const { worker, logLines } = await startTranscodeWorker(q.name, tmp.dir);
    try {
      const junk = await writeRandomFile(path.join(tmp.dir, 'junk.bin'), 64 * 1024);
      const asset = await seedAsset(t.pool, store, { file: junk });
      const jobId = await enqueue(t.db, { queue: q.name, type: 'transcode', payload: { assetId: asset.assetId, version: 1 } });
      const job = await waitFor('job failed', async () => {
        const r = await jobRow(t.db, jobId);
        return r?.status === 'failed' && r;
      });
      expect(job.attempts).toBe(1);
      expect(job.error).toMatch(/^InvalidSourceError: the source is not a readable video file/);
      expect(await bossJobIn(t.boss, q.name, jobId, 'failed')).toMatchObject({ state: 'failed', retryCount: 0 });
      const row = await assetRow(asset.assetId);
      expect(row.status).toBe('failed');
      expect(row.failureReason).toMatch(/^the source is not a readable video file \(.+\)$/);
      expect(row.failureReason).not.toContain(tmp.dir);
      // Nothing was published.
      expect(await store.list(asset.prefix)).toEqual([]);
      expect(logLines.some((l) => l.includes('"job failed permanently"'))).toBe(true);
      expect(await readdir(path.join(tmp.dir, worker.workerId))).toEqual([]);
    } finally {
      await worker.stop();
      await tmp.remove();
      await q.drop();
    }
  });
});
