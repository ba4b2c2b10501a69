// The catalog read cache (issue 4), in Upstash Redis:
//   cat:v              the catalog version; every CMS write bumps it, so all
//                      older entries stop being read at once (and expire);
//   cat:{v}:{key}      a built response body (JSON text);
//   cat:lock:{v}:{key} held by the one request rebuilding a cold key;
//   cat:rebuilds       how many rebuilds happened (a metric for ops).
// Only one request rebuilds a cold key: the others wait briefly for it, then
// read what it wrote (no stampede on Postgres). A Redis that is down or slow
// never fails a read: every cache step has a short timeout and falls through
// to building from Postgres.
import { CATALOG_VERSION_KEY } from '../../../../db/cache/catalog-version.ts';
import type { Redis } from '../../lib/redis.ts';

// After a CMS write commits, or the origin worker publishes a video.
export { bumpCatalogVersion } from '../../../../db/cache/catalog-version.ts';

export const CACHE_TTL_SECONDS = 300;
const LOCK_MS = 3_000;
const WAIT_STEP_MS = 40;
const WAIT_STEPS = 25;

export interface CatalogCache {
  /** Redis with a short timeout per command (a slow Redis counts as down). */
  redis: Redis | null;
  onError(error: unknown): void;
}

export const REBUILDS_KEY = 'cat:rebuilds';

// Every read of an entry also answers its remaining lifetime (ms), which is
// clamped to the next scheduled publish when it was built: the edge copy made
// from it must not outlive it either.

// The version and the entry under it in one round trip: [version, body, pttl] or [version, false].
const READ = `
local v = redis.call('GET', '${CATALOG_VERSION_KEY}') or '0'
local key = 'cat:' .. v .. ':' .. ARGV[1]
local body = redis.call('GET', key)
if body then return { v, body, redis.call('PTTL', key) } end
return { v, false }`;

// The entry if it is there now ([1, body, pttl]); else the rebuild lock: [2]
// taken by us, [0] held by another request.
const CLAIM = `
local body = redis.call('GET', KEYS[1])
if body then return { 1, body, redis.call('PTTL', KEYS[1]) } end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return { 2 } end
return { 0 }`;

// [body, pttl] or false.
const GET = `
local body = redis.call('GET', KEYS[1])
if body then return { body, redis.call('PTTL', KEYS[1]) } end
return false`;

export interface CachedBody {
  body: string;
  /** Served from Redis (true) or built from Postgres now. */
  hit: boolean;
  /** How long this body may still be served, by its entry (or the build's TTL). */
  ttlSeconds: number;
}

const seconds = (pttl: unknown) => Math.max(1, Math.floor(Number(pttl) / 1000) || 1);

async function lookup(cache: CatalogCache, key: string): Promise<{ v: string; found: CachedBody | null } | null> {
  try {
    const [v, body, pttl] = (await cache.redis!.eval(READ, [], [key])) as [string | number, string | null | false, number?];
    return { v: String(v), found: typeof body === 'string' ? { body, hit: true, ttlSeconds: seconds(pttl) } : null };
  } catch (err) {
    cache.onError(err);
    return null;
  }
}

/**
 * The cached body for `key`, or `build()`'s (then stored for its `ttlSeconds`).
 * `build` must return the exact body a client gets.
 */
export async function cached(cache: CatalogCache, key: string, build: () => Promise<{ body: string; ttlSeconds: number }>): Promise<CachedBody> {
  const redis = cache.redis;
  const fromPostgres = async () => ({ ...(await build()), hit: false });
  const looked = redis ? await lookup(cache, key) : null;
  if (!redis || !looked) return fromPostgres();
  if (looked.found) return looked.found;
  const entry = `cat:${looked.v}:${key}`;
  const read = async (): Promise<CachedBody | null | undefined> => {
    try {
      const got = (await redis.eval(GET, [entry], [])) as [string, number] | null | false;
      return got ? { body: got[0], hit: true, ttlSeconds: seconds(got[1]) } : null;
    } catch (err) {
      cache.onError(err);
      return undefined; // undefined: Redis failed; null: a miss
    }
  };

  let locked = false;
  try {
    // The entry again and the lock in one step: between our miss and the
    // lock, the previous rebuild may have written the entry and released
    // its lock, and taking the lock then would rebuild a second time.
    const [state, body, pttl] = (await redis.eval(CLAIM, [entry, `cat:lock:${entry}`], [String(LOCK_MS)])) as [number, string | undefined, number?];
    if (state === 1 && typeof body === 'string') return { body, hit: true, ttlSeconds: seconds(pttl) };
    locked = state === 2;
  } catch (err) {
    cache.onError(err);
    return fromPostgres();
  }
  if (!locked) {
    // Someone else is rebuilding: wait for their result rather than query Postgres too.
    for (let i = 0; i < WAIT_STEPS; i++) {
      await new Promise((r) => setTimeout(r, WAIT_STEP_MS));
      const again = await read();
      if (again) return again;
      if (again === undefined) break;
    }
    return fromPostgres();
  }
  const built = await build();
  const ttlSeconds = Math.max(1, Math.min(CACHE_TTL_SECONDS, built.ttlSeconds));
  try {
    await redis.pipeline().set(entry, built.body, { ex: ttlSeconds }).incr(REBUILDS_KEY).del(`cat:lock:${entry}`).exec();
  } catch (err) {
    cache.onError(err);
  }
  return { body: built.body, hit: false, ttlSeconds };
}
