// The bitrate ladder: which rungs a source gets and their frame sizes. Pure, so
// the rules (never upscale, keep the aspect ratio, even sizes) are tested alone.
//
// A rung is named by its short side ("720p"), so a portrait phone video gets
// 720x1280 at "720p", not a 405-pixel-wide sliver.

export interface RungSpec {
  /** Short side in pixels. */
  size: number;
  videoKbps: number;
  /** Peak rate (x264 VBV maxrate) and VBV buffer: the caps a player can rely on. */
  maxKbps: number;
  bufferKbps: number;
}

export interface Rung extends RungSpec {
  width: number;
  height: number;
  /** Folder and label, e.g. "720p". */
  name: string;
}

/** Apple's HLS authoring spec ballpark for H.264 at 30 fps; peaks capped at 107 %, buffers at 1.5 s. */
const KNOWN_KBPS: Record<number, number> = { 2160: 14000, 1440: 8000, 1080: 5000, 720: 2800, 480: 1400, 360: 800, 240: 400 };

export const DEFAULT_LADDER_SIZES = [1080, 720, 480, 360] as const;

export function rungSpec(size: number): RungSpec {
  // Between known sizes, bitrate grows slower than the pixel count.
  const videoKbps = KNOWN_KBPS[size] ?? Math.round(5000 * Math.pow((size * size) / (1080 * 1080), 0.75));
  return { size, videoKbps, maxKbps: Math.round(videoKbps * 1.07), bufferKbps: Math.round(videoKbps * 1.5) };
}

export function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}

/**
 * Rungs for a source of `displayWidth` x `displayHeight`, highest first. Rungs
 * above the source's short side are skipped; a source smaller than every rung
 * gets one rung at its own size.
 */
export function planLadder(sizes: readonly number[], displayWidth: number, displayHeight: number): Rung[] {
  const portrait = displayHeight > displayWidth;
  const short = Math.min(displayWidth, displayHeight);
  const long = Math.max(displayWidth, displayHeight);
  const wanted = [...new Set(sizes)].filter((s) => s <= short).sort((a, b) => b - a);
  if (wanted.length === 0) wanted.push(even(short) > short ? even(short) - 2 : even(short));
  return wanted.map((size) => {
    const other = even((size * long) / short);
    const spec = rungSpec(size);
    return { ...spec, width: portrait ? size : other, height: portrait ? other : size, name: `${size}p` };
  });
}

/** Parses "1080,720,480,360". */
export function parseLadderSizes(text: string): number[] {
  const sizes = text.split(',').map((s) => Number(s.trim().replace(/p$/i, '')));
  if (sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 120 || s > 4320 || s % 2 !== 0)) {
    throw new Error('must be a comma-separated list of even heights between 120 and 4320, e.g. 1080,720,480,360');
  }
  return sizes;
}
