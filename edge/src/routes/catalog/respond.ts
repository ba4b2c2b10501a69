// How catalog responses leave the Worker: the cached JSON text as is, an ETag
// (304 for a matching If-None-Match), Content-Language, and for anonymous
// reads the Workers Cache API in front of everything (short max-age with
// stale-while-revalidate: an edit reaches anonymous edge caches within
// ANON_MAX_AGE seconds; signed-in reads see it at once through Redis).
import type { Context } from 'hono';
import { usable } from '../../env.ts';
import { afterResponse } from '../../lib/background.ts';
import { ApiError } from '../../lib/errors.ts';
import { resolveLanguage } from '../../lib/language.ts';
import { createRedis } from '../../lib/redis.ts';
import type { CatalogDeps, Viewer } from '../../services/catalog/read-catalog.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import type { AppEnv } from '../../types.ts';

const ANON_MAX_AGE = 30;
const CACHE_TIMEOUT_MS = 150;

export function viewerOf(c: Context<AppEnv>): Viewer {
  return { lang: resolveLanguage(c), cap: c.get('auth')?.maturityCap ?? null };
}

export function catalogDeps(c: Context<AppEnv>): CatalogDeps {
  const redisConfig = c.get('config').redis;
  return {
    db: c.get('services').db,
    cache: {
      // CATALOG_CACHE=off (ops kill switch, and the benchmark's baseline) reads Postgres every time.
      redis: redisConfig.ok && c.env.CATALOG_CACHE !== 'off' ? createRedis(usable(redisConfig), { timeoutMs: CACHE_TIMEOUT_MS, deserialize: false }) : null,
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

/** Anonymous reads first try the colo's Cache API; `produce` builds (through Redis) on a miss. */
export async function catalogResponse(c: Context<AppEnv>, produce: () => Promise<{ body: string; hit: boolean } | null>): Promise<Response> {
  const anonymous = !c.req.header('Authorization');
  const edgeCache = anonymous && c.env.CATALOG_CACHE !== 'off' && typeof caches !== 'undefined' ? (caches as unknown as { default: Cache }).default : undefined;
  // A client asking to revalidate (Cache-Control: no-cache) skips the edge copy, not Redis.
  const revalidate = /\bno-cache\b/.test(c.req.header('Cache-Control') ?? '');
  // The key is the URL plus the resolved language: Accept-Language varies the body.
  const cacheKey = new Request(`${new URL(c.req.url).origin}${c.req.path}?${new URLSearchParams([...new URLSearchParams(new URL(c.req.url).search)].sort()).toString()}#${resolveLanguage(c)}`);
  let cachedResponse: Response | undefined;
  try {
    cachedResponse = revalidate ? undefined : await edgeCache?.match(cacheKey);
  } catch (error) {
    c.get('logger').warn('edge cache unavailable', { error });
  }
  if (cachedResponse) {
    // The entry carries its own ETag and headers.
    if (c.req.header('If-None-Match') === cachedResponse.headers.get('ETag')) return new Response(null, { status: 304, headers: cachedResponse.headers });
    const hit = new Response(cachedResponse.body, cachedResponse);
    hit.headers.set('X-Catalog-Cache', 'edge');
    return hit;
  }
  await limitReads(c, async () => undefined);
  const produced = await produce();
  if (!produced) throw new ApiError('NOT_FOUND', 'No such title');
  const { body } = produced;
  const etag = await etagOf(body);
  const lang = resolveLanguage(c);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Language': lang,
    ETag: etag,
    Vary: 'Accept-Language, Authorization',
    'Cache-Control': anonymous ? `public, max-age=${ANON_MAX_AGE}, stale-while-revalidate=60` : 'private, no-cache',
    'X-Catalog-Cache': produced.hit ? 'redis' : 'origin',
  };
  if (edgeCache) {
    const entry = new Response(body, { headers });
    await afterResponse(c, edgeCache.put(cacheKey, entry).catch((error: unknown) => c.get('logger').warn('edge cache put failed', { error })));
  }
  // c.body keeps the headers the rate limiter set on the context.
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304, headers);
  return c.body(body, 200, headers);
}
