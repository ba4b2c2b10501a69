// Uploading a packaged output folder under a version's prefix. Manifests are the
// commit point: every segment, playlist and image goes first, and the DASH MPD
// and then the HLS master playlist go last, so a player that can fetch a
// manifest can fetch everything it names. A failure before that leaves the
// previous manifests (or none) in place: never a half-published set.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { contentTypeOf, type MediaStore } from './object-store.ts';
import { DASH_MANIFEST, HLS_MASTER } from './package.ts';

export const MANIFEST_CACHE = 'public, max-age=10';
// Keys are deterministic and a retry rewrites them with the same bytes, but a
// re-run with another ladder could change them: a day, not "immutable".
export const MEDIA_CACHE = 'public, max-age=86400';

/** key -> md5 of what was uploaded there by this job run. */
export type UploadedSet = Map<string, string>;

export interface UploadTreeOptions {
  store: MediaStore;
  localDir: string;
  prefix: string;
  /** Files already uploaded with identical content are skipped. */
  already: UploadedSet;
  signal?: AbortSignal;
  concurrency?: number;
  /** Called after each file with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** The manifests, published last by publishManifests (default: the two root ones). */
  manifests?: ManifestNames;
}

export interface ManifestNames {
  hls: string;
  dash: string;
}

export const CLEAR_MANIFESTS: ManifestNames = { hls: HLS_MASTER, dash: DASH_MANIFEST };
/** DRM assets: HLS (cbcs) and DASH (cenc) segment sets in their own folders. */
export const DRM_MANIFESTS: ManifestNames = { hls: `hls/${HLS_MASTER}`, dash: `dash/${DASH_MANIFEST}` };

/** Uploads everything in `localDir` except the two manifests. Returns the updated set. */
export async function uploadTree(opts: UploadTreeOptions): Promise<UploadedSet> {
  const names = opts.manifests ?? CLEAR_MANIFESTS;
  const files = (await listFiles(opts.localDir)).filter((rel) => rel !== names.hls && rel !== names.dash);
  const uploaded = new Map(opts.already);
  const todo: { rel: string; key: string; md5: string }[] = [];
  for (const rel of files) {
    const md5 = createHash('md5').update(await readFile(path.join(opts.localDir, rel))).digest('hex');
    const key = opts.prefix + rel;
    if (uploaded.get(key) !== md5) todo.push({ rel, key, md5 });
  }
  let done = 0;
  await mapLimit(todo, opts.concurrency ?? 8, async (f) => {
    opts.signal?.throwIfAborted();
    await opts.store.uploadFile(f.key, path.join(opts.localDir, f.rel), { contentType: contentTypeOf(f.key), cacheControl: MEDIA_CACHE, signal: opts.signal });
    uploaded.set(f.key, f.md5);
    opts.onProgress?.(++done, todo.length);
  });
  return uploaded;
}

/** The commit point: MPD, then the HLS master. */
export async function publishManifests(store: MediaStore, localDir: string, prefix: string, signal?: AbortSignal, names: ManifestNames = CLEAR_MANIFESTS): Promise<{ hls: string; dash: string }> {
  const put = (name: string) =>
    store.uploadFile(prefix + name, path.join(localDir, name), { contentType: contentTypeOf(name), cacheControl: MANIFEST_CACHE, signal });
  await put(names.dash);
  await put(names.hls);
  return { hls: prefix + names.hls, dash: prefix + names.dash };
}

export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

export function versionPrefix(assetId: string, version: number): string {
  return `assets/${assetId}/v${version}/`;
}
