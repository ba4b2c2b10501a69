// The catalog read cache's version (edge/src/services/catalog/cache.ts): one
// Redis counter that every cached catalog entry is keyed under. Shared by the
// edge (CMS writes) and the origin worker (a published video changes a
// title's `playable` flag and languages), so the key lives in one place.
export const CATALOG_VERSION_KEY = 'cat:v';

/** Every cached catalog read is stale from now. Any Upstash client (Workers or Node). */
export async function bumpCatalogVersion(redis: { incr(key: string): Promise<number> }): Promise<void> {
  await redis.incr(CATALOG_VERSION_KEY);
}
