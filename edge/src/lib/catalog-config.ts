// Catalog caching settings (issue 4): the ops kill switch and how long a
// colo's edge copy of an anonymous read stays fresh.
import { z } from 'zod';

export const catalogSchema = z.object({
  CATALOG_CACHE: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  CATALOG_EDGE_MAX_AGE: z.coerce.number({ error: 'must be a number of seconds' }).int().min(1).max(300).default(30),
  CATALOG_CACHE_TIMEOUT_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(10).max(5_000).default(150),
});

export interface CatalogConfig {
  /** false: every read goes to Postgres (kill switch; the benchmark's baseline). */
  cache: boolean;
  /** Seconds an edge copy is served as fresh; it is then served stale for twice that while one request refreshes it. */
  edgeMaxAge: number;
  /** How long a Redis cache step may take before the read goes to Postgres instead (a slow Redis counts as down). */
  cacheTimeoutMs: number;
}

export function toCatalogConfig(d: z.output<typeof catalogSchema>): CatalogConfig {
  return { cache: d.CATALOG_CACHE === 'on', edgeMaxAge: d.CATALOG_EDGE_MAX_AGE, cacheTimeoutMs: d.CATALOG_CACHE_TIMEOUT_MS };
}
