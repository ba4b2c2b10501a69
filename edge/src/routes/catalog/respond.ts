// How catalog responses leave the Worker: the cached JSON text as is, an ETag
// (304 for a matching If-None-Match), Content-Language, and for anonymous
// reads the colo's Workers Cache API in front of everything.
//
// The edge copy is fresh for CATALOG_EDGE_MAX_AGE seconds (30), then served
// stale for twice that while one request per isolate refreshes it in the
// background (the Cache API itself does not revalidate), so an edit reaches
// anonymous readers within about max-age seconds; signed-in reads see it at
// once through Redis. Neither the copy nor its stale window outlives the
// Redis entry it came from, whose lifetime ends at the next scheduled publish:
// a scheduled title appears on time at the edge too.
import type { Context } from 'hono';
import { usable } from '../../env.ts';
import { afterResponse } from '../../lib/background.ts';
import { ApiError } from '../../lib/errors.ts';
import { resolveLanguage } from '../../lib/language.ts';
import { createRedis } from '../../lib/redis.ts';
import type { CachedBody } from '../../services/catalog/cache.ts';
import type { CatalogDeps, Viewer } from '../../services/catalog/read-catalog.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import type { AppEnv } from '../../types.ts';

// Internal headers of an edge entry (removed before a client sees it): when
// it stops being fresh, and when it must not be served at all (ms since epoch).
const FRESH_UNTIL = 'X-Edge-Fresh-Until';
const SERVE_UNTIL = 'X-Edge-Serve-Until';

export function viewerOf(c: Context<AppEnv>): Viewer {
  return { lang: resolveLanguage(c), cap: c.get('auth')?.maturityCap ?? null };
}

export function catalogDeps(c: Context<AppEnv>): CatalogDeps {
  const redisConfig = c.get('config').redis;
  const settings = usable(c.get('config').catalog);
  return {
    db: c.get('services').db,
    cache: {
      redis: redisConfig.ok && settings.cache ? createRedis(usable(redisConfig), { timeoutMs: settings.cacheTimeoutMs, deserialize: false }) : null,
      onError: (error) => c.get('logger').warn('catalog cache unavailable; reading Postgres', { error }),
    },
  };
}

async function etagOf(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(body)));
  return `"${[...digest].map((b) => b.toString(16).padStart(2, '0')).join('')}"`;
}

// Catalog reads are rate limited only when they reach past the edge cache: a
// hit in the colo's Cache API costs the origin nothing (like a CDN hit).
const limitReads = rateLimit({ class: 'read', key: 'ip+user' });

// Edge keys being refreshed by this isolate, so a stale entry is rebuilt once
// however many requests see it meanwhile. Module state is safe here: it holds
// only cache-key URLs for the few milliseconds of a refresh, and is bounded.
const refreshing = new Set<string>();
const MAX_REFRESHING = 1_000;

type Produce = () => Promise<CachedBody | null>;

/** Anonymous reads first try the colo's Cache API; `produce` builds (through Redis) on a miss. */
export async function catalogResponse(c: Context<AppEnv>, produce: Produce): Promise<Response> {
  const settings = usable(c.get('config').catalog);
  const anonymous = !c.req.header('Authorization');
  const edgeCache = anonymous && settings.cache && typeof caches !== 'undefined' ? (caches as unknown as { default: Cache }).default : undefined;
  // A client asking to revalidate (Cache-Control: no-cache) skips the edge copy, not Redis.
  const revalidate = /\bno-cache\b/.test(c.req.header('Cache-Control') ?? '');
  const lang = resolveLanguage(c);
  // The key is the URL plus the resolved language: Accept-Language varies the body.
  const cacheKey = new Request(`${new URL(c.req.url).origin}${c.req.path}?${new URLSearchParams([...new URLSearchParams(new URL(c.req.url).search)].sort()).toString()}#${lang}`);
  let stored: Response | undefined;
  try {
    stored = revalidate ? undefined : await edgeCache?.match(cacheKey);
  } catch (error) {
    c.get('logger').warn('edge cache unavailable', { error });
  }
  const now = Date.now();
  const serveUntil = Number(stored?.headers.get(SERVE_UNTIL));
  if (stored && edgeCache && serveUntil > now) {
    const freshUntil = Number(stored.headers.get(FRESH_UNTIL));
    if (!(freshUntil > now)) await afterResponse(c, refreshEdge(c, edgeCache, cacheKey, lang, produce, settings.edgeMaxAge));
    const headers = new Headers(stored.headers);
    headers.delete(FRESH_UNTIL);
    headers.delete(SERVE_UNTIL);
    headers.set('Cache-Control', publicCacheControl(freshUntil - now, serveUntil - now));
    headers.set('X-Catalog-Cache', 'edge');
    if (c.req.header('If-None-Match') === headers.get('ETag')) return new Response(null, { status: 304, headers });
    return new Response(stored.body, { status: 200, headers });
  }
  await limitReads(c, async () => undefined);
  const produced = await produce();
  if (!produced) throw new ApiError('NOT_FOUND', 'No such title');
  const { body } = produced;
  const headers = await bodyHeaders(body, lang, produced);
  const windows = edgeWindows(produced.ttlSeconds, settings.edgeMaxAge);
  headers['Cache-Control'] = anonymous ? publicCacheControl(windows.fresh * 1000, windows.serve * 1000) : 'private, no-cache';
  if (edgeCache) {
    await afterResponse(c, edgeCache.put(cacheKey, edgeEntry(body, headers, windows)).catch((error: unknown) => c.get('logger').warn('edge cache put failed', { error })));
  }
  // c.body keeps the headers the rate limiter set on the context.
  if (c.req.header('If-None-Match') === headers.ETag) return c.body(null, 304, headers);
  return c.body(body, 200, headers);
}

async function bodyHeaders(body: string, lang: string, produced: CachedBody): Promise<Record<string, string>> {
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Language': lang,
    ETag: await etagOf(body),
    Vary: 'Accept-Language, Authorization',
    'X-Catalog-Cache': produced.hit ? 'redis' : 'origin',
  };
}

/** Seconds an edge copy is fresh, and served at all: maxAge and 3 x maxAge, never past the Redis entry's lifetime. */
function edgeWindows(ttlSeconds: number, maxAge: number): { fresh: number; serve: number } {
  return { fresh: Math.min(maxAge, ttlSeconds), serve: Math.min(3 * maxAge, ttlSeconds) };
}

/** What browsers and shared caches may do with an anonymous answer: the same windows as the edge copy. */
function publicCacheControl(freshMs: number, serveMs: number): string {
  const fresh = Math.max(0, Math.floor(freshMs / 1000));
  const stale = Math.max(0, Math.floor(serveMs / 1000) - fresh);
  return `public, max-age=${fresh}${stale > 0 ? `, stale-while-revalidate=${stale}` : ''}`;
}

/** The edge copy, kept by the Cache API for its whole serving window; its own headers say when it goes stale. */
function edgeEntry(body: string, headers: Record<string, string>, windows: { fresh: number; serve: number }): Response {
  const now = Date.now();
  return new Response(body, {
    headers: { ...headers, 'Cache-Control': `public, max-age=${windows.serve}`, [FRESH_UNTIL]: String(now + windows.fresh * 1000), [SERVE_UNTIL]: String(now + windows.serve * 1000) },
  });
}

/** Rebuilds a stale edge copy (through Redis), or drops it when the read is gone (unpublished). */
async function refreshEdge(c: Context<AppEnv>, edgeCache: Cache, cacheKey: Request, lang: string, produce: Produce, maxAge: number): Promise<void> {
  if (refreshing.has(cacheKey.url) || refreshing.size >= MAX_REFRESHING) return;
  refreshing.add(cacheKey.url);
  try {
    const produced = await produce();
    if (!produced) await edgeCache.delete(cacheKey);
    else await edgeCache.put(cacheKey, edgeEntry(produced.body, await bodyHeaders(produced.body, lang, produced), edgeWindows(produced.ttlSeconds, maxAge)));
  } catch (error) {
    c.get('logger').warn('edge cache refresh failed', { error });
  } finally {
    refreshing.delete(cacheKey.url);
  }
}
