// ffprobe first: anything that is not a decodable video fails the job here,
// permanently, with a reason an editor can act on ("no video stream"), before
// any encoding time is spent.
import { PermanentJobError } from '../queue/run-job.ts';
import { ProcessError, runProcess } from './run-process.ts';

export interface AudioStreamInfo {
  /** Position among the audio streams (ffmpeg's `0:a:N`). */
  index: number;
  /** ISO 639 code from the stream's tags, lower-case; 'und' when missing or unusable. */
  language: string;
  channels: number;
  codec: string;
}

export interface MediaInfo {
  durationSeconds: number;
  video: {
    codec: string;
    /** As displayed: sample aspect ratio and rotation applied, which ffmpeg also does. */
    displayWidth: number;
    displayHeight: number;
    fps: number;
  };
  audio: AudioStreamInfo[];
}

/** The source cannot be transcoded; the message is shown to editors. */
export class InvalidSourceError extends PermanentJobError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidSourceError';
  }
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  channels?: number;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { language?: string; rotate?: string };
  side_data_list?: { rotation?: number }[];
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { duration?: string; format_name?: string };
}

export async function probeMedia(opts: { ffprobe: string; file: string; inputName: string; signal?: AbortSignal }): Promise<MediaInfo> {
  let stdout: string;
  try {
    ({ stdout } = await runProcess({
      step: 'probe',
      input: opts.inputName,
      command: opts.ffprobe,
      args: ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', opts.file],
      signal: opts.signal,
      timeoutMs: 60_000,
      collectStdout: true,
    }));
  } catch (err) {
    // ffprobe answers a non-zero exit only for input it cannot read: random bytes,
    // an MP4 cut before its index ("moov atom not found"), an empty file.
    if (err instanceof ProcessError && err.failure === 'exit') {
      throw new InvalidSourceError(`the source is not a readable video file (${err.lastStderrLine().replace(opts.file, opts.inputName) || 'unrecognised data'})`, { cause: err });
    }
    throw err;
  }
  return parseProbe(JSON.parse(stdout) as ProbeOutput);
}

export function parseProbe(out: ProbeOutput): MediaInfo {
  const streams = out.streams ?? [];
  // Cover art in an audio file shows up as a one-frame "video" stream.
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) throw new InvalidSourceError('the source has no video stream');
  if (!video.width || !video.height) throw new InvalidSourceError('the source video has no frame size');
  const duration = Number(out.format?.duration ?? video.duration);
  if (!Number.isFinite(duration) || duration <= 0) throw new InvalidSourceError('the source has no usable duration (truncated or still being written?)');

  const sar = ratio(video.sample_aspect_ratio) || 1;
  let displayWidth = Math.round(video.width * sar);
  let displayHeight = video.height;
  const rotation = Math.abs(Number(video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? video.tags?.rotate ?? 0)) % 180;
  if (rotation === 90) [displayWidth, displayHeight] = [displayHeight, displayWidth];

  const fps = ratio(video.avg_frame_rate) || ratio(video.r_frame_rate) || 25;
  const audio = streams
    .filter((s) => s.codec_type === 'audio')
    .map((s, index) => ({ index, language: normaliseLanguage(s.tags?.language), channels: s.channels ?? 2, codec: s.codec_name ?? 'unknown' }));
  return {
    durationSeconds: duration,
    video: { codec: video.codec_name ?? 'unknown', displayWidth, displayHeight, fps: Math.min(fps, 120) },
    audio,
  };
}

function ratio(value: string | undefined): number {
  if (!value) return 0;
  const [n, d] = value.split(/[/:]/).map(Number);
  if (!n || !Number.isFinite(n)) return 0;
  const r = d === undefined ? n : d ? n / d : 0;
  return Number.isFinite(r) && r > 0 ? r : 0;
}

function normaliseLanguage(tag: string | undefined): string {
  const lang = tag?.trim().toLowerCase();
  return lang && /^[a-z]{2,3}$/.test(lang) ? lang : 'und';
}
