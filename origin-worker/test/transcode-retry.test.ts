// The transcode job run through the same wrapper as in production (runJob),
// without pg-boss in between: retries that must be idempotent, and uploads
// that must fail cleanly and permanently.
import { randomUUID } from 'node:crypto';
import { copyFile, readdir, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudioTracks, listRenditions } from '../../db/sql/video-assets.ts';
import { createLogger } from '../src/logger.ts';
import { transcodeJob } from '../src/jobs/transcode.ts';
import type { MediaStore } from '../src/media/object-store.ts';
import { runJob } from '../src/queue/run-job.ts';
import { makeTempDir, openTestDb, type TestDb } from './helpers/db.ts';
import { binaries, generateClip, seedAsset, testStore } from './helpers/media.ts';
import { runProcess } from '../src/media/run-process.ts';

let t: TestDb;
let store: MediaStore;
let fixtures: Awaited<ReturnType<typeof makeTempDir>>;
let clip: string;

beforeAll(async () => {
  t = await openTestDb();
  store = testStore();
  fixtures = await makeTempDir();
  clip = await generateClip(path.join(fixtures.dir, 'clip.mp4'), { width: 640, height: 360, seconds: 4, audioLanguages: ['fas'] });
});
afterAll(async () => {
  store?.destroy();
  await fixtures?.remove();
  await t?.close();
});

/** One attempt of the transcode job through runJob, as a worker would run it. */
async function runTranscode(assetId: string, tempRoot: string, opts: { version?: number; retryCount?: number } = {}) {
  const lines: string[] = [];
  const definition = transcodeJob({ db: t.db, store, binaries, ladderSizes: [360, 240], x264Preset: 'veryfast', progressIntervalMs: 0 });
  const result = await runJob(
    { db: t.db, logger: createLogger({ level: 'info', write: (l) => lines.push(l) }), tempRoot, resolve: (data) => ({ type: 'transcode', definition: definition as never, payload: (data as { payload: unknown }).payload }) },
    { id: randomUUID(), name: 'transcode', data: { type: 'transcode', payload: { assetId, version: opts.version ?? 1 } }, retryCount: opts.retryCount ?? 0, retryLimit: 2, signal: new AbortController().signal },
  );
  return { result, lines };
}

/** Manifests and playlists, with the measured bandwidths masked. */
async function playlistTexts(prefix: string, keys: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of keys.filter((k) => /\.(m3u8|mpd|vtt)$/.test(k))) {
    out[k] = (await store.getText(prefix + k)).replace(/(BANDWIDTH=|bandwidth=")\d+/gi, '$1N');
  }
  return out;
}

async function assetState(assetId: string) {
  const { rows } = await t.pool.query(`SELECT status, failure_reason AS "failureReason", progress FROM video_assets WHERE id = $1`, [assetId]);
  return rows[0] as { status: string; failureReason: string | null; progress: number };
}

describe('transcode retries', () => {
  it('a second run of the same job rewrites the same keys with the same segment timeline and records no duplicates', async () => {
    const tmp = await makeTempDir();
    try {
      const asset = await seedAsset(t.pool, store, { file: clip });
      const first = await runTranscode(asset.assetId, tmp.dir);
      expect(first.result).toMatchObject({ status: 'completed' });
      const keys = async () => (await store.list(asset.prefix)).map((o) => o.key.slice(asset.prefix.length));
      const keys1 = await keys();
      expect(keys1).toContain('video/360p/seg-00002.m4s');
      const playlists1 = await playlistTexts(asset.prefix, keys1);

      // As pg-boss would after a lost heartbeat: the same job again, attempt 2.
      const second = await runTranscode(asset.assetId, tmp.dir, { retryCount: 1 });
      expect(second.result, second.lines.join('\n')).toMatchObject({ status: 'completed' });
      expect(await keys()).toEqual(keys1);
      // x264 with rate caps (VBV) on several threads is not bit-exact from run to
      // run, so segment bytes and measured bandwidths may differ by a little; the
      // segment names, durations and everything a manifest points at may not.
      expect(await playlistTexts(asset.prefix, keys1)).toEqual(playlists1);
      expect(await assetState(asset.assetId)).toMatchObject({ status: 'ready', progress: 100 });
      expect((await t.db.run(listRenditions(asset.assetId, 1))).map((r) => `${r.width}x${r.height}`)).toEqual(['640x360', '426x240']);
      expect((await t.db.run(listAudioTracks(asset.assetId, 1))).map((a) => a.lang)).toEqual(['fas']);
      // Temp folders are gone after each run.
      expect(await readdir(tmp.dir)).toEqual([]);
    } finally {
      await tmp.remove();
    }
  });

  it('fails an upload cut short before its index (not readable) permanently, with the reason on the asset', async () => {
    const tmp = await makeTempDir();
    try {
      const cut = path.join(tmp.dir, 'cut.mp4');
      await copyFile(clip, cut);
      await truncate(cut, Math.floor((await stat(cut)).size / 2));
      const asset = await seedAsset(t.pool, store, { file: cut });
      const { result, lines } = await runTranscode(asset.assetId, path.join(tmp.dir, 'work'));
      expect(result).toMatchObject({ status: 'deadletter', output: { message: expect.stringMatching(/^InvalidSourceError: the source is not a readable video file/) } });
      const state = await assetState(asset.assetId);
      expect(state.status).toBe('failed');
      expect(state.failureReason).toMatch(/^the source is not a readable video file \(source of asset [0-9a-f-]+ v1: .+\)$/);
      expect(await store.list(asset.prefix)).toEqual([]);
      expect(lines.some((l) => l.includes('"job failed permanently"'))).toBe(true);
      expect(await readdir(path.join(tmp.dir, 'work'))).toEqual([]);
    } finally {
      await tmp.remove();
    }
  });

  it('fails a web-optimised upload cut short (index intact, media missing) as truncated', async () => {
    const tmp = await makeTempDir();
    try {
      const fast = await generateClip(path.join(tmp.dir, 'fast.mp4'), { width: 640, height: 360, seconds: 4, audioLanguages: ['fas'], faststart: true });
      await truncate(fast, Math.floor((await stat(fast)).size * 0.4));
      const asset = await seedAsset(t.pool, store, { file: fast });
      const { result } = await runTranscode(asset.assetId, path.join(tmp.dir, 'work'));
      expect(result.status).toBe('deadletter');
      const state = await assetState(asset.assetId);
      expect(state.status).toBe('failed');
      expect(state.failureReason).toMatch(/^the source is truncated: [\d.]+ s of 4\.0 s could be decoded$/);
      // Nothing was published: the manifests only go out after the check.
      expect((await store.list(asset.prefix)).filter((o) => /\.(m3u8|mpd)$/.test(o.key))).toEqual([]);
    } finally {
      await tmp.remove();
    }
  });

  it('fails an audio-only file with "no video stream"', async () => {
    const tmp = await makeTempDir();
    try {
      const audio = path.join(tmp.dir, 'audio.m4a');
      await runProcess({
        step: 'fixture', input: audio, command: binaries.ffmpeg, timeoutMs: 30_000,
        args: ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:a', 'aac', audio],
      });
      const asset = await seedAsset(t.pool, store, { file: audio });
      const { result } = await runTranscode(asset.assetId, path.join(tmp.dir, 'work'));
      expect(result.status).toBe('deadletter');
      expect(await assetState(asset.assetId)).toMatchObject({ status: 'failed', failureReason: 'the source has no video stream' });
    } finally {
      await tmp.remove();
    }
  });

  it('refuses a job for a version that a newer upload replaced, leaving the asset alone', async () => {
    const tmp = await makeTempDir();
    try {
      const asset = await seedAsset(t.pool, store, { file: clip });
      await t.pool.query(`UPDATE video_assets SET version = 2 WHERE id = $1`, [asset.assetId]);
      const { result } = await runTranscode(asset.assetId, tmp.dir, { version: 1 });
      expect(result).toMatchObject({ status: 'deadletter', output: { message: 'PermanentJobError: version 1 was replaced by version 2' } });
      expect(await assetState(asset.assetId)).toMatchObject({ status: 'queued', failureReason: null });
    } finally {
      await tmp.remove();
    }
  });

  it('keeps the command line and the stderr tail of a failed ffmpeg in the log', async () => {
    const tmp = await makeTempDir();
    try {
      const asset = await seedAsset(t.pool, store, { file: clip });
      const definition = transcodeJob({ db: t.db, store, binaries: { ...binaries, packager: path.join(tmp.dir, 'no-such-packager') }, ladderSizes: [240], x264Preset: 'veryfast' });
      const lines: string[] = [];
      const result = await runJob(
        { db: t.db, logger: createLogger({ level: 'info', write: (l) => lines.push(l) }), tempRoot: path.join(tmp.dir, 'work'), resolve: (data) => ({ type: 'transcode', definition: definition as never, payload: (data as { payload: unknown }).payload }) },
        { id: randomUUID(), name: 'transcode', data: { type: 'transcode', payload: { assetId: asset.assetId, version: 1 } }, retryCount: 0, retryLimit: 2, signal: new AbortController().signal },
      );
      // A missing binary is the machine's fault, not the upload's: retried, asset not failed.
      expect(result.status).toBe('failed');
      expect(await assetState(asset.assetId)).toMatchObject({ status: 'processing' });
      const logged = lines.map((l) => JSON.parse(l) as { message: string; fields?: Record<string, unknown> }).find((l) => l.message === 'package failed');
      expect(logged?.fields).toMatchObject({ failure: 'spawn', command: expect.stringContaining('no-such-packager') });
      expect(String(logged?.fields?.command)).toContain('--mpd_output manifest.mpd');
    } finally {
      await tmp.remove();
    }
  });
});
