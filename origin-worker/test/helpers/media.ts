// Media fixtures: a tiny generated clip (lavfi test pattern + two tones, each
// audio track with its language), assets seeded the way the upload flow leaves
// them (`queued`, source in the bucket), and reading a version's outputs back.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { resolveMediaBinaries } from '../../src/media/binaries.ts';
import { MediaStore } from '../../src/media/object-store.ts';
import { runProcess } from '../../src/media/run-process.ts';
import { versionPrefix } from '../../src/media/publish.ts';
import { mediaEnv } from './db.ts';

export const binaries = resolveMediaBinaries();

export function testStore(): MediaStore {
  const e = mediaEnv();
  return new MediaStore({ endpoint: e.S3_ENDPOINT!, region: e.S3_REGION!, accessKeyId: e.S3_ACCESS_KEY_ID!, secretAccessKey: e.S3_SECRET_ACCESS_KEY!, bucket: e.MEDIA_BUCKET! });
}

export interface ClipOptions {
  width: number;
  height: number;
  seconds: number;
  fps?: number;
  /** One sine tone per language tag. */
  audioLanguages?: string[];
  /** x264 preset for the source; ultrafast keeps fixtures quick. */
  preset?: string;
  /** Index at the front, so a truncated copy still probes (what a cut-short upload of a web-optimised file looks like). */
  faststart?: boolean;
}

export async function generateClip(file: string, o: ClipOptions): Promise<string> {
  const langs = o.audioLanguages ?? [];
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${o.width}x${o.height}:rate=${o.fps ?? 30}:duration=${o.seconds}`];
  langs.forEach((_, i) => args.push('-f', 'lavfi', '-i', `sine=frequency=${440 + 220 * i}:duration=${o.seconds}`));
  args.push('-map', '0:v');
  langs.forEach((_, i) => args.push('-map', `${i + 1}:a`));
  args.push('-c:v', 'libx264', '-preset', o.preset ?? 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k');
  langs.forEach((lang, i) => args.push(`-metadata:s:a:${i}`, `language=${lang}`));
  if (o.faststart) args.push('-movflags', '+faststart');
  args.push(file);
  await mkdir(path.dirname(file), { recursive: true });
  await runProcess({ step: 'generate test clip', input: file, command: binaries.ffmpeg, args, timeoutMs: 120_000 });
  return file;
}

export interface SeededAsset {
  assetId: string;
  version: number;
  sourceKey: string;
  prefix: string;
}

export interface SubtitleSeed {
  lang: string;
  label?: string;
  body: string;
}

/** A movie with a `queued` video asset whose source is in the bucket. */
export async function seedAsset(pool: pg.Pool, store: MediaStore, source: { file: string } | { bytes: Buffer }, subtitles: SubtitleSeed[] = []): Promise<SeededAsset> {
  const movieId = randomUUID();
  const assetId = randomUUID();
  const sourceKey = `uploads/${assetId}/v1/source`;
  if ('file' in source) await store.uploadFile(sourceKey, source.file, { contentType: 'video/mp4', cacheControl: 'no-store' });
  else await store.putBody(sourceKey, source.bytes, { contentType: 'video/mp4', cacheControl: 'no-store' });
  await pool.query(`INSERT INTO content (id, type, original_language) VALUES ($1, 'movie', 'fa')`, [movieId]);
  await pool.query(`INSERT INTO video_assets (id, movie_id, status, source_key) VALUES ($1, $2, 'queued', $3)`, [assetId, movieId, sourceKey]);
  if (subtitles.length) {
    // Subtitles hang off the version row, which the upload flow creates with them.
    await pool.query(`INSERT INTO video_asset_versions (asset_id, version, source_key, storage_prefix) VALUES ($1, 1, $2, $3)`, [assetId, sourceKey, versionPrefix(assetId, 1)]);
    for (const s of subtitles) {
      const key = `uploads/${assetId}/v1/subtitles/${s.lang}.vtt`;
      await store.putBody(key, s.body, { contentType: 'text/vtt', cacheControl: 'no-store' });
      await pool.query(`INSERT INTO subtitle_tracks (asset_id, version, lang, label, storage_key) VALUES ($1, 1, $2, $3, $4)`, [assetId, s.lang, s.label ?? null, key]);
    }
  }
  return { assetId, version: 1, sourceKey, prefix: versionPrefix(assetId, 1) };
}

/** Every object under `prefix`, downloaded into `dir` with the same relative paths. */
export async function downloadPrefix(store: MediaStore, prefix: string, dir: string): Promise<string[]> {
  const objects = await store.list(prefix);
  for (const o of objects) {
    const file = path.join(dir, o.key.slice(prefix.length));
    await mkdir(path.dirname(file), { recursive: true });
    await store.download(o.key, file);
  }
  return objects.map((o) => o.key.slice(prefix.length));
}

export async function ffprobeJson(file: string, args: string[]): Promise<any> {
  const { stdout } = await runProcess({ step: 'test probe', input: file, command: binaries.ffprobe, args: ['-v', 'error', '-of', 'json', ...args, file], timeoutMs: 30_000, collectStdout: true });
  return JSON.parse(stdout);
}

/** Presentation times of the video keyframes of a playlist (or any input). */
export async function keyframeTimes(file: string): Promise<number[]> {
  const out = await ffprobeJson(file, ['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags']);
  return (out.packets as { pts_time: string; flags: string }[]).filter((p) => p.flags.startsWith('K')).map((p) => Number(p.pts_time));
}

/** The segment files a DASH MPD names (SegmentTemplate + SegmentTimeline), per Representation, flattened. */
export function dashSegmentFiles(mpd: string): string[] {
  const files: string[] = [];
  for (const m of mpd.matchAll(/<SegmentTemplate([^>]*)>([\s\S]*?)<\/SegmentTemplate>/g)) {
    const attrs = m[1]!;
    const media = /media="([^"]+)"/.exec(attrs)![1]!;
    const init = /initialization="([^"]+)"/.exec(attrs)?.[1];
    let n = Number(/startNumber="(\d+)"/.exec(attrs)?.[1] ?? 1);
    if (init) files.push(init);
    for (const s of m[2]!.matchAll(/<S [^>]*?(?:r="(\d+)")?[^>]*\/>/g)) {
      const repeats = Number(/r="(\d+)"/.exec(s[0])?.[1] ?? 0);
      for (let i = 0; i <= repeats; i++) files.push(media.replace(/\$Number%05d\$/, String(n++).padStart(5, '0')));
    }
  }
  return files;
}

/** The files an HLS media playlist names (its EXT-X-MAP and segments), relative to the version's root. */
export function hlsSegmentFiles(playlist: string, playlistPath: string): string[] {
  const dir = path.posix.dirname(playlistPath);
  const files: string[] = [];
  for (const line of playlist.split('\n')) {
    const map = /^#EXT-X-MAP:URI="([^"]+)"/.exec(line);
    if (map) files.push(path.posix.join(dir, map[1]!));
    else if (line && !line.startsWith('#')) files.push(path.posix.join(dir, line.trim()));
  }
  return files;
}

/** URIs of the master playlist's variant streams and renditions. */
export function masterEntries(master: string): { variants: { uri: string; resolution: string }[]; media: { type: string; language: string; uri: string; isDefault: boolean }[] } {
  const lines = master.split('\n');
  const variants: { uri: string; resolution: string }[] = [];
  const media: { type: string; language: string; uri: string; isDefault: boolean }[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('#EXT-X-STREAM-INF:')) variants.push({ uri: lines[i + 1]!.trim(), resolution: /RESOLUTION=(\d+x\d+)/.exec(line)?.[1] ?? '' });
    if (line.startsWith('#EXT-X-MEDIA:')) {
      media.push({ type: /TYPE=(\w+)/.exec(line)![1]!, language: /LANGUAGE="([^"]+)"/.exec(line)?.[1] ?? '', uri: /URI="([^"]+)"/.exec(line)![1]!, isDefault: /DEFAULT=YES/.test(line) });
    }
  });
  return { variants, media };
}

/**
 * Noise that is no media file: the same bytes every run (a seeded xorshift),
 * since truly random bytes now and then start like an audio frame and probe
 * as "a file without a video stream" instead (seen once in a fresh-clone run).
 */
export async function writeRandomFile(file: string, bytes: number): Promise<string> {
  let x = 0x2545f491;
  const noise = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    noise[i] = x & 0xff;
  }
  await writeFile(file, noise);
  return file;
}

export const SUBTITLES_EN = `WEBVTT

00:00:00.500 --> 00:00:01.800
Hello

00:00:02.200 --> 00:00:03.500
World
`;

export const SUBTITLES_FA = `WEBVTT

00:00:00.500 --> 00:00:01.800
سلام

00:00:02.200 --> 00:00:03.500
دنیا
`;
