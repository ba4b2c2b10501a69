// ffmpeg command lines for the ladder, and running them with progress.
//
// Filter graph, rest-of-ladder pass (all rungs from ONE decode, scaled in a
// chain so each rung is scaled from the one above it, not from the full frame):
//
//   [0:v:0] scale=W1:H1,setsar=1,format=yuv420p,split=2 [v0][n0];
//   [n0]    scale=W2:H2,setsar=1,split=2 [v1][n1];
//   [n1]    scale=W3:H3,setsar=1 [v2]
//
// First pass (the lowest rung, every audio track, poster and storyboard, so the
// asset can be published as playable early):
//
//   [0:v:0] split=3 [s0][s1][s2];
//   [s0] scale=W:H,setsar=1,format=yuv420p [v0];
//   [s1] fps=1/I,scale=TW:TH,setsar=1,tile=CxR [storyboard];
//   [s2] select=gte(t\,T),scale=PW:PH,setsar=1 [poster]
//
// Every video output has the same GOP rules: keyframes forced every 2 s
// (force_key_frames on the same timestamps in every rung, so segments align
// across rungs), keyint = 2 x fps as the upper bound and no scene-cut keyframes.
import path from 'node:path';
import type { AudioStreamInfo } from './probe.ts';
import { even, type Rung } from './ladder.ts';
import { runProcess } from './run-process.ts';

export const SEGMENT_SECONDS = 2;
export const AUDIO_KBPS = 128;

export interface StoryboardPlan {
  /** Seconds between thumbnails. */
  interval: number;
  columns: number;
  rows: number;
  thumbWidth: number;
  thumbHeight: number;
  /** Thumbnails the VTT lists: one per interval started before the end. */
  count: number;
}

export interface ImagePlan {
  poster: { atSeconds: number; width: number; height: number };
  storyboard: StoryboardPlan;
}

export interface EncodeJob {
  source: string;
  outDir: string;
  fps: number;
  rungs: readonly Rung[];
  audio: readonly AudioStreamInfo[];
  images: ImagePlan | null;
  /** ffmpeg's x264 preset; veryfast unless configured. */
  preset: string;
}

export interface EncodeOutputs {
  video: { rung: Rung; file: string }[];
  audio: { stream: AudioStreamInfo; file: string }[];
  poster: string | null;
  /** printf-style pattern of the sprite sheets (sprite-001.jpg, ...). */
  spritePattern: string | null;
}

export function planImages(durationSeconds: number, displayWidth: number, displayHeight: number): ImagePlan {
  const posterShort = Math.min(720, Math.min(displayWidth, displayHeight));
  const scale = posterShort / Math.min(displayWidth, displayHeight);
  // One thumbnail every 1-10 s: about 200 for a feature, one a second for a clip.
  const interval = Math.min(10, Math.max(1, Math.ceil(durationSeconds / 200)));
  const thumbWidth = 160;
  return {
    poster: { atSeconds: Math.min(durationSeconds / 4, 30), width: even(displayWidth * scale), height: even(displayHeight * scale) },
    storyboard: {
      interval,
      columns: 10,
      rows: 10,
      thumbWidth,
      thumbHeight: even((thumbWidth * displayHeight) / displayWidth),
      count: Math.max(1, Math.ceil(durationSeconds / interval)),
    },
  };
}

export function buildEncodeArgs(job: EncodeJob): { args: string[]; outputs: EncodeOutputs } {
  if (job.rungs.length === 0) throw new Error('buildEncodeArgs: no rungs');
  const gop = Math.max(1, Math.round(SEGMENT_SECONDS * job.fps));
  const filters: string[] = [];
  const videoLabels: string[] = [];

  if (job.images) {
    // One rung plus the images: split the decoded frames three ways.
    if (job.rungs.length !== 1) throw new Error('buildEncodeArgs: images ride along with a single-rung pass');
    const r = job.rungs[0]!;
    const { poster, storyboard: sb } = job.images;
    filters.push(
      '[0:v:0]split=3[s0][s1][s2]',
      `[s0]scale=${r.width}:${r.height},setsar=1,format=yuv420p[v0]`,
      `[s1]fps=1/${sb.interval},scale=${sb.thumbWidth}:${sb.thumbHeight},setsar=1,tile=${sb.columns}x${sb.rows}[storyboard]`,
      `[s2]select=gte(t\\,${poster.atSeconds.toFixed(3)}),scale=${poster.width}:${poster.height},setsar=1[poster]`,
    );
    videoLabels.push('v0');
  } else {
    let from = '[0:v:0]';
    job.rungs.forEach((r, i) => {
      const first = i === 0 ? ',format=yuv420p' : '';
      const last = i === job.rungs.length - 1;
      filters.push(`${from}scale=${r.width}:${r.height},setsar=1${first}${last ? `[v${i}]` : `,split=2[v${i}][n${i}]`}`);
      from = `[n${i}]`;
      videoLabels.push(`v${i}`);
    });
  }

  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-progress', 'pipe:1', '-nostats', '-i', job.source, '-filter_complex', filters.join(';')];
  const outputs: EncodeOutputs = { video: [], audio: [], poster: null, spritePattern: null };

  job.rungs.forEach((r, i) => {
    const file = path.join(job.outDir, `video-${r.name}.mp4`);
    args.push(
      '-map', `[${videoLabels[i]}]`,
      '-c:v', 'libx264', '-preset', job.preset, '-profile:v', 'high',
      '-b:v', `${r.videoKbps}k`, '-maxrate', `${r.maxKbps}k`, '-bufsize', `${r.bufferKbps}k`,
      '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
      '-force_key_frames', `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
      '-an', '-map_metadata', '-1', file,
    );
    outputs.video.push({ rung: r, file });
  });
  for (const a of job.audio) {
    const file = path.join(job.outDir, `audio-${a.index}.mp4`);
    args.push(
      '-map', `0:a:${a.index}`,
      // Stereo AAC plays everywhere; surround tracks are a later addition.
      '-c:a', 'aac', '-b:a', `${AUDIO_KBPS}k`, '-ac', '2', '-ar', '48000',
      '-vn', '-map_metadata', '-1', '-metadata:s:a:0', `language=${a.language}`, file,
    );
    outputs.audio.push({ stream: a, file });
  }
  if (job.images) {
    outputs.poster = path.join(job.outDir, 'poster.jpg');
    outputs.spritePattern = path.join(job.outDir, 'sprite-%03d.jpg');
    args.push('-map', '[poster]', '-frames:v', '1', '-q:v', '3', outputs.poster);
    args.push('-map', '[storyboard]', '-q:v', '5', '-start_number', '1', outputs.spritePattern);
  }
  return { args, outputs };
}

export interface RunEncodeOptions {
  ffmpeg: string;
  job: EncodeJob;
  step: string;
  inputName: string;
  durationSeconds: number;
  signal?: AbortSignal;
  /** Fraction 0-1 of the source encoded so far. */
  onProgress?: (fraction: number) => void;
}

/**
 * Runs one ffmpeg pass; resolves with its outputs and the media time its first
 * rung reached. Progress counts that rung's frames (`frame=` in -progress is the
 * first video output's count): `out_time` is the furthest of all outputs, and
 * the storyboard's tiles carry timestamps far ahead of the frames they hold.
 */
export async function runEncode(opts: RunEncodeOptions): Promise<{ outputs: EncodeOutputs; reachedSeconds: number }> {
  const { args, outputs } = buildEncodeArgs(opts.job);
  let frames = 0;
  await runProcess({
    step: opts.step,
    input: opts.inputName,
    command: opts.ffmpeg,
    args,
    signal: opts.signal,
    // Generous: x264 veryfast runs near realtime for a 1080p ladder on 2 cores.
    timeoutMs: Math.max(10 * 60_000, opts.durationSeconds * 20_000),
    onStdoutLine: (line) => {
      const n = parseProgressFrame(line);
      if (n === undefined) return;
      frames = Math.max(frames, n);
      opts.onProgress?.(Math.min(1, frames / opts.job.fps / opts.durationSeconds));
    },
  });
  return { outputs, reachedSeconds: frames / opts.job.fps };
}

/** ffmpeg -progress lines: `frame=123`. */
export function parseProgressFrame(line: string): number | undefined {
  const m = /^frame=\s*(\d+)$/.exec(line.trim());
  return m ? Number(m[1]) : undefined;
}
