// Shaka Packager: CMAF (fMP4) segments with an HLS master playlist and a DASH
// MPD over the same segment files. Runs in the output folder with relative
// paths, so every URI in the manifests is relative to the version's prefix:
//
//   master.m3u8, manifest.mpd
//   video/<rung>/init.mp4, seg-00001.m4s, ..., playlist.m3u8
//   audio/<n>-<lang>/init.mp4, seg-00001.m4s, ..., playlist.m3u8
//   text/<lang>[-<kind>]/seg-00001.vtt, ..., playlist.m3u8   (WebVTT)
//
// The packager is deterministic (same inputs, same bytes), which the job relies
// on: the second packaging run re-creates the first run's files bit for bit, so
// only what is new has to be uploaded.
import type { Rung } from './ladder.ts';
import type { AudioStreamInfo } from './probe.ts';
import { SEGMENT_SECONDS } from './encode.ts';
import { runProcess } from './run-process.ts';

export const HLS_MASTER = 'master.m3u8';
export const DASH_MANIFEST = 'manifest.mpd';

export interface TextTrackInput {
  lang: string;
  label: string | null;
  kind: 'subtitles' | 'captions' | 'forced';
  isDefault: boolean;
  /** A local WebVTT file. */
  file: string;
}

export interface PackageInputs {
  video: { rung: Rung; file: string }[];
  audio: { stream: AudioStreamInfo; file: string }[];
  text: TextTrackInput[];
}

export function videoDir(rung: Rung): string {
  return `video/${rung.name}`;
}
export function audioDir(stream: AudioStreamInfo): string {
  return `audio/${stream.index}-${stream.language}`;
}
export function textDir(t: Pick<TextTrackInput, 'lang' | 'kind'>): string {
  return t.kind === 'subtitles' ? `text/${t.lang}` : `text/${t.lang}-${t.kind}`;
}

/**
 * Encrypted packaging (DRM assets): Shaka's raw-key encryption with the
 * version's content key. One segment set can carry one scheme, so HLS (cbcs,
 * SAMPLE-AES) and DASH (cenc) are packaged in two runs, each into its own
 * folder (`hls/`, `dash/`). CommonSystem adds the W3C common PSSH (key ids),
 * which is what EME Clear Key reads.
 */
export interface Encryption {
  scheme: 'cbcs' | 'cenc';
  keyIdHex: string;
  keyHex: string;
  /** The EXT-X-KEY URI, relative to the media playlists (so it carries the media token). */
  hlsKeyUri?: string;
}

export interface PackageOptions {
  outputs: 'both' | 'hls' | 'dash';
  encryption?: Encryption;
}

export function buildPackagerArgs(inputs: PackageInputs, options: PackageOptions = { outputs: 'both' }): string[] {
  const seg = (dir: string, ext: string) => `segment_template=${dir}/seg-$Number%05d$.${ext}`;
  const args: string[] = [];
  for (const v of inputs.video) {
    const dir = videoDir(v.rung);
    args.push(descriptor(`in=${v.file}`, 'stream=video', `init_segment=${dir}/init.mp4`, seg(dir, 'm4s'), `playlist_name=${dir}/playlist.m3u8`));
  }
  for (const a of inputs.audio) {
    const dir = audioDir(a.stream);
    args.push(
      descriptor(
        `in=${a.file}`, 'stream=audio', `language=${a.stream.language}`, 'hls_group_id=audio', `hls_name=${displayName(a.stream.language, a.stream.index)}`,
        `init_segment=${dir}/init.mp4`, seg(dir, 'm4s'), `playlist_name=${dir}/playlist.m3u8`,
      ),
    );
  }
  for (const t of inputs.text) {
    const dir = textDir(t);
    args.push(
      descriptor(
        `in=${t.file}`, 'stream=text', `language=${t.lang}`, 'hls_group_id=subs', `hls_name=${clean(t.label ?? displayName(t.lang))}`,
        ...(t.kind === 'forced' ? ['forced_subtitle=1'] : []),
        seg(dir, 'vtt'), `playlist_name=${dir}/playlist.m3u8`,
      ),
    );
  }
  const defaultAudio = inputs.audio[0]?.stream.language;
  const defaultText = inputs.text.find((t) => t.isDefault)?.lang;
  args.push(
    '--segment_duration', String(SEGMENT_SECONDS),
    // VOD: a static MPD (type="static") over the template-named segments.
    '--generate_static_live_mpd',
    '--hls_playlist_type', 'VOD',
    ...(options.outputs !== 'dash' ? ['--hls_master_playlist_output', HLS_MASTER] : []),
    ...(options.outputs !== 'hls' ? ['--mpd_output', DASH_MANIFEST] : []),
    ...(defaultAudio && defaultAudio !== 'und' ? ['--default_language', defaultAudio] : []),
    // Without this, text in the default audio language would be switched on by
    // default; "zxx" (no linguistic content) matches no track.
    '--default_text_language', defaultText ?? 'zxx',
  );
  const e = options.encryption;
  if (e) {
    args.push(
      '--enable_raw_key_encryption',
      '--keys', `label=:key_id=${e.keyIdHex}:key=${e.keyHex}`,
      '--protection_scheme', e.scheme,
      '--protection_systems', 'CommonSystem',
      // Every segment encrypted: no clear lead to skip the license with.
      '--clear_lead', '0',
      ...(e.hlsKeyUri ? ['--hls_key_uri', e.hlsKeyUri] : []),
    );
  }
  return args;
}

export async function runPackager(opts: { packager: string; inputs: PackageInputs; outDir: string; inputName: string; signal?: AbortSignal; durationSeconds: number; options?: PackageOptions }): Promise<void> {
  await runProcess({
    step: 'package',
    input: opts.inputName,
    command: opts.packager,
    args: buildPackagerArgs(opts.inputs, opts.options),
    cwd: opts.outDir,
    signal: opts.signal,
    timeoutMs: Math.max(5 * 60_000, opts.durationSeconds * 1000),
  });
}

function descriptor(...parts: string[]): string {
  return parts.join(',');
}

/** Stream descriptors are comma-separated key=value pairs. */
function clean(text: string): string {
  return text.replace(/[,=]/g, ' ').trim() || 'Track';
}

function displayName(lang: string, index?: number): string {
  if (lang === 'und') return index === undefined ? 'Unknown' : `Track ${index + 1}`;
  try {
    return clean(new Intl.DisplayNames(['en'], { type: 'language' }).of(lang) ?? lang);
  } catch {
    return lang;
  }
}
