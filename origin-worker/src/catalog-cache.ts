// Tells the edge's catalog cache that a video was published: a title's
// `playable` flag and languages are part of cached catalog reads, and without
// this they would catch up only when the cached entries expire (5 minutes).
// One Upstash client per process (plain configuration over fetch).
import { Redis } from '@upstash/redis';
import { bumpCatalogVersion } from '../../db/cache/catalog-version.ts';
import type { Config } from './config.ts';

export type CatalogChanged = () => Promise<void>;

/** null when Upstash is not configured. Throws on failure: the caller logs it, the job does not fail for it. */
export function catalogVersionBumper(config: Pick<Config, 'catalogCache'>): CatalogChanged | null {
  if (!config.catalogCache) return null;
  const redis = new Redis({ url: config.catalogCache.url, token: config.catalogCache.token, retry: { retries: 2 }, enableTelemetry: false });
  return () => bumpCatalogVersion(redis);
}
