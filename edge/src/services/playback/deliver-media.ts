// Serving one object of a playback session: /media/{token}/{assetId}/{path}.
//
// - Only output files of the token's asset version are reachable: the path is
//   checked against a strict pattern (no dot segments, no encoded slashes, no
//   backslashes, known extensions) and mapped to assets/{assetId}/v{version}/.
//   Sources live elsewhere (uploads/...) and are never served.
// - Renditions above the token's maxHeight are refused (403), and the master
//   playlist and MPD are filtered to the allowed ones.
// - The Workers Cache API holds every object under a key WITHOUT the token
//   (manifests add the height cap, since they differ per tier), so viewers
//   with different tokens share one entry. Segments are immutable (a new
//   source is a new version, a new prefix): a year. Playlists: an hour once
//   the version is final, 2 s while rungs are still joining.
// - Range requests answer 206 (416 when unsatisfiable), cache hit or miss.
import type { ObjectStore } from '../../lib/object-store.ts';
import type { MediaGrant } from '../../lib/playback/media-token.ts';
import { filterDashMpd, filterHlsMaster, rungOfPath } from './manifest-filter.ts';

const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  mpd: 'application/dash+xml',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  vtt: 'text/vtt; charset=utf-8',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  png: 'image/png',
};
const PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}){0,7}$/;
const IMMUTABLE_SECONDS = 365 * 86_400;
const FINAL_PLAYLIST_SECONDS = 3_600;
const GROWING_PLAYLIST_SECONDS = 2;

export type MediaOutcome =
  | { kind: 'forbidden' }
  | { kind: 'not_found' }
  | { kind: 'response'; response: Response; cache: 'HIT' | 'MISS' };

export interface DeliveryDeps {
  store: ObjectStore;
  /** The Workers Cache API (caches.default); undefined or failing = no cache. */
  cache: Cache | undefined;
  /** Runs the cache fill after the response (awaited when there is no execution context). */
  afterResponse(work: Promise<unknown>): Promise<void>;
  onCacheError(error: unknown): void;
  /** The version's DRM key id (uuid), or null when it is not protected. Read only on a cache miss of an HLS playlist. */
  keyIdOf(): Promise<string | null>;
}

/**
 * Shaka writes raw-key SAMPLE-AES keys as KEYFORMAT "identity" with our key
 * URI (the stored playlists keep it: standard HLS key delivery, served by
 * keys/hls). Browsers cannot decrypt cbcs fMP4 that way, and hls.js always
 * prefers an identity key when there is one, so the playlists players get
 * carry the W3C Clear Key form instead: the key id in a data URI, the key
 * from license/clearkey through EME.
 */
export function addClearKeyTags(playlist: string, keyId: string): string {
  const kid = btoa(String.fromCharCode(...(keyId.replace(/-/g, '').match(/../g) ?? []).map((h) => parseInt(h, 16))));
  return playlist.replace(/^#EXT-X-KEY:METHOD=SAMPLE-AES,.*$/gm, (line) =>
    !line.includes('KEYFORMAT=') || line.includes('KEYFORMAT="identity"')
      ? `#EXT-X-KEY:METHOD=SAMPLE-AES,URI="data:text/plain;base64,${kid}",KEYFORMAT="org.w3.clearkey",KEYFORMATVERSIONS="1"`
      : line,
  );
}

/** Whether a media path is one we serve at all (pattern, extension, rung). */
export function checkMediaPath(path: string, grant: MediaGrant): 'ok' | 'forbidden' | 'not_found' {
  if (!PATH.test(path) || path.split('/').some((s) => s === '.' || s === '..' || s.startsWith('.'))) return 'forbidden';
  if (!(extensionOf(path) in CONTENT_TYPES)) return 'not_found';
  const rung = rungOfPath(path);
  if (rung !== undefined && rung > grant.maxHeight) return 'forbidden';
  return 'ok';
}

export async function deliverMedia(deps: DeliveryDeps, grant: MediaGrant, path: string, range: string | undefined): Promise<MediaOutcome> {
  const verdict = checkMediaPath(path, grant);
  if (verdict !== 'ok') return { kind: verdict };
  const manifest = isFilteredManifest(path);
  const cacheKey = new Request(`https://media-cache.irdnl.internal/${grant.assetId}/v${grant.version}/${path}${manifest ? `?h=${grant.maxHeight}` : ''}`);

  let cached: Response | undefined;
  try {
    cached = await deps.cache?.match(cacheKey);
  } catch (err) {
    deps.onCacheError(err);
  }
  if (cached) return { kind: 'response', response: await respond(cached, range), cache: 'HIT' };

  const object = await deps.store.get(`assets/${grant.assetId}/v${grant.version}/${path}`);
  if (!object) return { kind: 'not_found' };
  let body: ArrayBuffer = await new Response(object.body).arrayBuffer();
  let etag = object.etag;
  if (path.endsWith('.m3u8') && !manifest) {
    const text = new TextDecoder().decode(body);
    if (text.includes('#EXT-X-KEY:METHOD=SAMPLE-AES')) {
      const keyId = await deps.keyIdOf();
      if (keyId) body = new TextEncoder().encode(addClearKeyTags(text, keyId)).buffer as ArrayBuffer;
    }
  }
  if (manifest) {
    const text = new TextDecoder().decode(body);
    const filtered = path.endsWith('.mpd') ? filterDashMpd(text, grant.maxHeight) : filterHlsMaster(text, grant.maxHeight);
    body = new TextEncoder().encode(filtered).buffer as ArrayBuffer;
    etag = `"${object.etag.replace(/"/g, '')}-h${grant.maxHeight}"`;
  }
  const seconds = isPlaylist(path) ? (grant.final ? FINAL_PLAYLIST_SECONDS : GROWING_PLAYLIST_SECONDS) : IMMUTABLE_SECONDS;
  const entry = new Response(body, {
    headers: {
      'Content-Type': CONTENT_TYPES[extensionOf(path)]!,
      'Content-Length': String(body.byteLength),
      ETag: etag,
      'Cache-Control': `public, max-age=${seconds}${seconds === IMMUTABLE_SECONDS ? ', immutable' : ''}`,
    },
  });
  if (deps.cache) {
    const cache = deps.cache;
    await deps.afterResponse(cache.put(cacheKey, entry.clone()).catch((err: unknown) => deps.onCacheError(err)));
  }
  return { kind: 'response', response: await respond(entry, range), cache: 'MISS' };
}

/** The player-facing response: private caching (the URL carries a token), ranges. */
async function respond(entry: Response, range: string | undefined): Promise<Response> {
  const headers = new Headers(entry.headers);
  const shared = headers.get('Cache-Control') ?? '';
  headers.set('Cache-Control', shared.replace(/^public/, 'private'));
  headers.set('Accept-Ranges', 'bytes');
  const body = await entry.arrayBuffer();
  const size = body.byteLength;
  const wanted = range === undefined ? undefined : parseRange(range, size);
  if (wanted === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${size}`);
    headers.delete('Content-Length');
    return new Response(null, { status: 416, headers });
  }
  if (!wanted) return new Response(body, { status: 200, headers });
  headers.set('Content-Range', `bytes ${wanted.start}-${wanted.end}/${size}`);
  headers.set('Content-Length', String(wanted.end - wanted.start + 1));
  return new Response(body.slice(wanted.start, wanted.end + 1), { status: 206, headers });
}

/**
 * One `bytes=` range (RFC 9110): "a-b", "a-", "-n". Anything else (several
 * ranges, other units, garbage) is ignored and the whole object is sent, as
 * the RFC allows; a well-formed range outside the object is unsatisfiable.
 */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(dot + 1).toLowerCase();
}

const isPlaylist = (path: string) => path.endsWith('.m3u8') || path.endsWith('.mpd');
/** The manifests that list renditions: the HLS master and the MPD (any layout prefix). */
const isFilteredManifest = (path: string) => /(?:^|\/)(?:master\.m3u8|[^/]+\.mpd)$/.test(path);
