// The transcode job: one video asset version from its uploaded source to a
// published CMAF set (HLS + DASH over the same segments), images included.
//
//   download source -> probe (bad input: failed, no retry)
//   pass 1: ONE ffmpeg run: lowest rung + every audio track + poster + storyboard
//   package (lowest rung, audio, subtitles) -> upload -> MPD + master last
//     -> asset `playable`
//   pass 2: ONE ffmpeg run (one decode, split + chained scaling): every other rung
//   package everything -> upload what is new -> MPD + master last
//     -> asset `ready`
//
// Why two runs and not one: in a single ffmpeg run every rung finishes at the
// same moment, so nothing could be published early. Pass 1 costs one extra
// decode of the source (cheap next to x264) and buys a playable asset after a
// fraction of the time; pass 2 still encodes all remaining rungs from one decode.
//
// Keys are deterministic (`assets/{assetId}/v{version}/...`, see media/package.ts)
// and the packager is deterministic, so a retried job rewrites the same keys with
// the same bytes; the manifests go last at each stage, so a manifest in the
// bucket only ever names objects that are already there.
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { keyIdBytes, newContentKey, unwrapContentKey, wrapContentKey, type Kek } from '../../../db/drm/content-keys.ts';
import { ensureVersionKey } from '../../../db/sql/drm.ts';
import type { Db } from '../../../db/sql/statement.ts';
import {
  getAssetForTranscode,
  listSubtitleTracks,
  markAssetFailed,
  markAssetPlayable,
  markAssetProcessing,
  markAssetReady,
  recordVersionOutputs,
  deleteAudioTracks,
  insertAudioTracks,
  updateAssetProgress,
  upsertAssetVersion,
  upsertRenditions,
  type AudioTrackInput,
  type RenditionInput,
} from '../../../db/sql/video-assets.ts';
import type { CatalogChanged } from '../catalog-cache.ts';
import type { MediaBinaries } from '../media/binaries.ts';
import { AUDIO_KBPS, planImages, runEncode, type EncodeOutputs } from '../media/encode.ts';
import { planLadder, type Rung } from '../media/ladder.ts';
import { MissingObjectError, type MediaStore } from '../media/object-store.ts';
import { audioDir, runPackager, textDir, videoDir, type PackageInputs, type PackageOptions, type TextTrackInput } from '../media/package.ts';
import { InvalidSourceError, probeMedia, type MediaInfo } from '../media/probe.ts';
import { CLEAR_MANIFESTS, DRM_MANIFESTS, publishManifests, uploadTree, versionPrefix, type UploadedSet } from '../media/publish.ts';
import { ProcessError } from '../media/run-process.ts';
import { sheetsNeeded, storyboardVtt } from '../media/storyboard.ts';
import { PermanentJobError, type JobContext, type JobDefinition } from '../queue/run-job.ts';

export const transcodeData = z.object({
  assetId: z.uuid(),
  version: z.number().int().min(1),
});
export type TranscodeData = z.infer<typeof transcodeData>;

export interface TranscodeDeps {
  db: Db;
  store: MediaStore;
  binaries: MediaBinaries;
  ladderSizes: readonly number[];
  x264Preset: string;
  /** Minimum milliseconds between two asset progress writes of the same step. */
  progressIntervalMs?: number;
  /** Key-encryption keys (DRM_KEKS) for DRM-protected assets. */
  keks?: readonly Kek[];
  /** Called after a version turns playable or ready (the edge's catalog cache); a failure is logged, never fails the job. */
  catalogChanged?: CatalogChanged | null;
}

const REASON_MAX = 500;

export function transcodeJob(deps: TranscodeDeps): JobDefinition<TranscodeData> {
  return {
    parse: (payload) => transcodeData.parse(payload),
    async run(ctx) {
      const { assetId, version } = ctx.data;
      const [asset] = await deps.db.run(getAssetForTranscode(assetId));
      if (!asset) throw new PermanentJobError(`video asset ${assetId} does not exist`);
      if (asset.version !== version) throw new PermanentJobError(`version ${version} was replaced by version ${asset.version}`);
      if (asset.status === 'uploading' || asset.status === 'cancelled') throw new PermanentJobError(`the asset is ${asset.status}`);
      if (!asset.sourceKey) throw new PermanentJobError('the asset has no source');
      if (asset.drmProtected && !deps.keks?.length) throw new PermanentJobError('the asset is DRM-protected but this worker has no DRM_KEKS to protect its key with');

      const [started] = await deps.db.run(markAssetProcessing(assetId, version, 'downloading source'));
      if (!started) throw new PermanentJobError('the asset changed before the transcode started');
      const report = assetProgress(deps, ctx);
      try {
        await transcode(deps, ctx, asset.sourceKey, report, asset.drmProtected);
      } catch (err) {
        const permanent = toPermanent(err);
        if (err instanceof ProcessError) {
          // The full story for operators; the asset gets the short reason only.
          ctx.logger.error(`${err.step} failed`, { command: err.commandLine, failure: err.failure, exitCode: err.exitCode, exitSignal: err.exitSignal, stderrTail: err.stderrTail });
        }
        const reason = shortReason(permanent ?? err);
        if (permanent || ctx.finalAttempt) {
          await deps.db.run(markAssetFailed(assetId, version, reason)).catch((e: unknown) => ctx.logger.error('could not mark the asset failed', { err: e }));
        } else {
          await deps.db.run(updateAssetProgress(assetId, version, 0, `will retry: ${reason}`)).catch(() => undefined);
        }
        throw permanent ?? err;
      }
    },
  };
}

type Report = (percent: number, step: string) => Promise<void>;

async function transcode(deps: TranscodeDeps, ctx: JobContext<TranscodeData>, sourceKey: string, report: Report, drmProtected: boolean): Promise<void> {
  const { assetId, version } = ctx.data;
  const { signal, tempDir, logger } = ctx;
  const prefix = versionPrefix(assetId, version);
  await deps.db.run(upsertAssetVersion(assetId, version, sourceKey, prefix));
  const drm = drmProtected ? await contentKeyFor(deps, assetId, version) : null;
  const manifestNames = drm ? DRM_MANIFESTS : CLEAR_MANIFESTS;
  const pack = (inputs: PackageInputs, dir: string) => packageStage(deps, inputs, dir, inputName, info.durationSeconds, drm, signal);

  const source = path.join(tempDir, 'source');
  try {
    await deps.store.download(sourceKey, source, signal);
  } catch (err) {
    if (err instanceof MissingObjectError) throw new PermanentJobError('the uploaded source is missing from the bucket', { cause: err });
    throw err;
  }
  await report(1, 'probing');
  const inputName = `source of asset ${assetId} v${version}`;
  const info = await probeMedia({ ffprobe: deps.binaries.ffprobe, file: source, inputName, signal });
  const rungs = planLadder(deps.ladderSizes, info.video.displayWidth, info.video.displayHeight);
  const lowest = rungs.at(-1)!;
  const rest = rungs.slice(0, -1);
  logger.info('transcode plan', { duration: info.durationSeconds, source: info.video, audio: info.audio.length, rungs: rungs.map((r) => `${r.width}x${r.height}`) });
  const text = await downloadSubtitles(deps, ctx, path.join(tempDir, 'subs'));

  // Progress: each pass weighted by the pixels it encodes plus one decode.
  const decodeCost = info.video.displayWidth * info.video.displayHeight * 0.25;
  const cost1 = lowest.width * lowest.height + decodeCost;
  const cost2 = rest.length ? rest.reduce((s, r) => s + r.width * r.height, 0) + decodeCost : 0;
  const pass1End = 2 + Math.round(88 * (cost1 / (cost1 + cost2)));

  const encDir = path.join(tempDir, 'enc');
  await mkdir(encDir, { recursive: true });
  const images = planImages(info.durationSeconds, info.video.displayWidth, info.video.displayHeight);
  await report(2, `encoding ${lowest.name}`);
  const first = await runEncode({
    ffmpeg: deps.binaries.ffmpeg,
    job: { source, outDir: encDir, fps: info.video.fps, rungs: [lowest], audio: info.audio, images, preset: deps.x264Preset },
    step: `encode ${lowest.name}`,
    inputName,
    durationSeconds: info.durationSeconds,
    signal,
    onProgress: (f) => void report(2 + f * (pass1End - 2), `encoding ${lowest.name}`),
  });
  // An MP4 whose index survived but whose media data was cut short probes fine
  // and decodes without an error exit: only the time reached gives it away.
  if (first.reachedSeconds < info.durationSeconds * 0.9 - 1) {
    throw new InvalidSourceError(`the source is truncated: ${first.reachedSeconds.toFixed(1)} s of ${info.durationSeconds.toFixed(1)} s could be decoded`);
  }

  // Stage 1: the lowest rung with audio, subtitles and images, published as playable.
  const pkg1 = path.join(tempDir, 'pkg1');
  const inputs: PackageInputs = { video: first.outputs.video, audio: first.outputs.audio, text };
  await report(pass1End, 'packaging');
  await pack(inputs, await fresh(pkg1));
  const imageKeys = await placeImages(first.outputs, images, info, path.join(pkg1, 'images'));
  await report(pass1End + 2, 'uploading');
  let uploaded: UploadedSet = await uploadTree({ store: deps.store, localDir: pkg1, prefix, already: new Map(), signal, manifests: manifestNames });
  const manifests = await publishManifests(deps.store, pkg1, prefix, signal, manifestNames);
  const outputs = { durationSeconds: info.durationSeconds, hlsManifestKey: manifests.hls, dashManifestKey: manifests.dash, posterKey: prefix + imageKeys.poster, storyboardKey: prefix + imageKeys.storyboard };
  const audioRows = audioTrackRows(info, prefix);
  await deps.db.batch([
    recordVersionOutputs(assetId, version, { ...outputs, ready: rest.length === 0 }),
    upsertRenditions(assetId, version, [renditionRow(lowest, info, prefix)]),
    deleteAudioTracks(assetId, version),
    insertAudioTracks(assetId, version, audioRows),
    rest.length === 0 ? markAssetReady(assetId, version) : markAssetPlayable(assetId, version, pass1End + 5),
  ]);
  await announce(deps, logger);
  await rm(pkg1, { recursive: true, force: true });
  logger.info(rest.length ? 'asset playable' : 'asset ready', { rungs: [lowest.name] });
  if (rest.length === 0) return ctx.progress(100, 'done');
  await ctx.progress(pass1End + 5, `encoding ${rest.map((r) => r.name).join(', ')}`);

  // Stage 2: every other rung from one decode, then the full set.
  const second = await runEncode({
    ffmpeg: deps.binaries.ffmpeg,
    job: { source, outDir: encDir, fps: info.video.fps, rungs: rest, audio: [], images: null, preset: deps.x264Preset },
    step: `encode ${rest.map((r) => r.name).join('+')}`,
    inputName,
    durationSeconds: info.durationSeconds,
    signal,
    onProgress: (f) => void report(pass1End + 5 + f * (95 - pass1End - 5), `encoding ${rest.map((r) => r.name).join(', ')}`),
  });
  await report(95, 'packaging');
  const pkg2 = path.join(tempDir, 'pkg2');
  const all: PackageInputs = { video: [...second.outputs.video, ...first.outputs.video], audio: first.outputs.audio, text };
  await pack(all, await fresh(pkg2));
  await report(97, 'uploading');
  uploaded = await uploadTree({ store: deps.store, localDir: pkg2, prefix, already: uploaded, signal, manifests: manifestNames });
  await publishManifests(deps.store, pkg2, prefix, signal, manifestNames);
  await deps.db.batch([
    recordVersionOutputs(assetId, version, { ...outputs, ready: true }),
    upsertRenditions(assetId, version, rungs.map((r) => renditionRow(r, info, prefix))),
    markAssetReady(assetId, version),
  ]);
  await announce(deps, logger);
  await ctx.progress(100, 'done');
  logger.info('asset ready', { rungs: rungs.map((r) => r.name), objects: uploaded.size + 2 });
}

/** The catalog shows the change now; if Redis is out, its cached entries still expire within minutes. */
async function announce(deps: TranscodeDeps, logger: JobContext<TranscodeData>['logger']): Promise<void> {
  if (!deps.catalogChanged) return;
  try {
    await deps.catalogChanged();
  } catch (error) {
    logger.warn('catalog cache version not bumped; catalog reads catch up when their entries expire', { error: error instanceof Error ? error.message : String(error) });
  }
}

async function downloadSubtitles(deps: TranscodeDeps, ctx: JobContext<TranscodeData>, dir: string): Promise<TextTrackInput[]> {
  const rows = await deps.db.run(listSubtitleTracks(ctx.data.assetId, ctx.data.version));
  const out: TextTrackInput[] = [];
  for (const row of rows) {
    if (row.format !== 'webvtt') {
      ctx.logger.warn('subtitle format not packaged yet, skipped', { lang: row.lang, kind: row.kind, format: row.format });
      continue;
    }
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${row.lang}-${row.kind}.vtt`);
    try {
      await deps.store.download(row.storageKey, file, ctx.signal);
    } catch (err) {
      if (err instanceof MissingObjectError) throw new PermanentJobError(`the ${row.lang} ${row.kind} file is missing from the bucket`, { cause: err });
      throw err;
    }
    out.push({ lang: row.lang, label: row.label, kind: row.kind, isDefault: row.isDefault, file });
  }
  return out;
}

/** Poster and storyboard into the stage-1 folder: images/poster.jpg, images/storyboard/{sprite-NNN.jpg, thumbnails.vtt}. */
async function placeImages(outputs: EncodeOutputs, plan: ReturnType<typeof planImages>, info: MediaInfo, dir: string): Promise<{ poster: string; storyboard: string }> {
  const sbDir = path.join(dir, 'storyboard');
  await mkdir(sbDir, { recursive: true });
  await copyFile(outputs.poster!, path.join(dir, 'poster.jpg'));
  const encDir = path.dirname(outputs.spritePattern!);
  const sheets = (await readdir(encDir)).filter((n) => /^sprite-\d{3}\.jpg$/.test(n)).sort();
  for (const name of sheets.slice(0, sheetsNeeded(plan.storyboard))) await copyFile(path.join(encDir, name), path.join(sbDir, name));
  const vtt = storyboardVtt(plan.storyboard, info.durationSeconds, Math.min(sheets.length, sheetsNeeded(plan.storyboard)), (n) => `sprite-${String(n).padStart(3, '0')}.jpg`);
  await writeFile(path.join(sbDir, 'thumbnails.vtt'), vtt);
  return { poster: 'images/poster.jpg', storyboard: 'images/storyboard/thumbnails.vtt' };
}

function renditionRow(r: Rung, info: MediaInfo, prefix: string): RenditionInput {
  return { height: r.height, width: r.width, bitrate: r.videoKbps * 1000, codec: 'h264', frameRate: info.video.fps, storageKey: `${prefix}${videoDir(r)}/playlist.m3u8` };
}

function audioTrackRows(info: MediaInfo, prefix: string): AudioTrackInput[] {
  // One row per (language, channels): two tracks of one language are both
  // packaged, but only the first is listed (the table's natural key).
  const seen = new Set<string>();
  return info.audio.flatMap((a) => {
    if (seen.has(a.language)) return [];
    seen.add(a.language);
    return [{ lang: a.language, label: null, codec: 'aac' as const, channels: 2, bitrate: AUDIO_KBPS * 1000, isOriginal: a.index === 0, isDefault: a.index === 0, storageKey: `${prefix}${audioDir(a)}/playlist.m3u8` }];
  });
}

/** Job and asset progress together; the asset write is throttled like the job's. */
function assetProgress(deps: TranscodeDeps, ctx: JobContext<TranscodeData>): Report {
  const interval = deps.progressIntervalMs ?? 1000;
  let lastAt = 0;
  let lastStep = '';
  return async (percent, step) => {
    await ctx.progress(percent, step);
    const now = Date.now();
    if (step === lastStep && now - lastAt < interval) return;
    lastAt = now;
    lastStep = step;
    await deps.db.run(updateAssetProgress(ctx.data.assetId, ctx.data.version, percent, step)).catch((err: unknown) => ctx.logger.warn('could not record asset progress', { err }));
  };
}

/**
 * Which failures retrying cannot fix. ffmpeg and the packager are deterministic:
 * the same input fails the same way, unless the machine was the problem (a full
 * disk, memory) or the process was killed, timed out or aborted.
 */
function toPermanent(err: unknown): PermanentJobError | null {
  if (err instanceof PermanentJobError) return err;
  if (err instanceof ProcessError && err.failure === 'exit' && !/No space left|Cannot allocate memory|Resource temporarily unavailable/i.test(err.stderrTail)) {
    return new PermanentJobError(`${err.step} failed: ${err.lastStderrLine() || `exit code ${err.exitCode}`}`, { cause: err });
  }
  return null;
}

function shortReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > REASON_MAX ? `${text.slice(0, REASON_MAX - 3)}...` : text;
}

async function fresh(dir: string): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * The version's content key: the stored one (a retry must keep the key its
 * already-published segments were encrypted with), else a new random key,
 * wrapped under the first KEK and stored.
 */
async function contentKeyFor(deps: TranscodeDeps, assetId: string, version: number): Promise<{ keyIdHex: string; keyHex: string }> {
  const fresh = newContentKey();
  const sealed = await wrapContentKey(deps.keks!, { assetId, version, ...fresh });
  const [stored] = await deps.db.run(ensureVersionKey({ assetId, version, keyId: fresh.keyId, kekId: sealed.kekId, wrappedHex: Buffer.from(sealed.wrapped).toString('hex') }));
  if (!stored) throw new PermanentJobError('the asset version disappeared before its key was stored');
  const key = await unwrapContentKey(deps.keks!, { assetId, version, keyId: stored.keyId, kekId: stored.kekId, wrapped: Buffer.from(stored.wrappedHex, 'hex') });
  return { keyIdHex: Buffer.from(keyIdBytes(stored.keyId)).toString('hex'), keyHex: Buffer.from(key).toString('hex') };
}

/**
 * Packages one stage: clear assets in one run (HLS + DASH over the same
 * segments); DRM assets in two, HLS with cbcs (SAMPLE-AES) under hls/ and DASH
 * with cenc under dash/. The HLS key URI climbs from hls/<kind>/<track>/ to
 * the asset root, so it carries the media token like every other URI.
 */
async function packageStage(deps: TranscodeDeps, inputs: PackageInputs, dir: string, inputName: string, durationSeconds: number, drm: { keyIdHex: string; keyHex: string } | null, signal: AbortSignal): Promise<void> {
  const run = (outDir: string, options?: PackageOptions) => runPackager({ packager: deps.binaries.packager, inputs, outDir, inputName, signal, durationSeconds, options });
  if (!drm) return run(dir);
  await run(await fresh(path.join(dir, 'hls')), { outputs: 'hls', encryption: { scheme: 'cbcs', ...drm, hlsKeyUri: '../../../keys/hls' } });
  await run(await fresh(path.join(dir, 'dash')), { outputs: 'dash', encryption: { scheme: 'cenc', ...drm } });
}
