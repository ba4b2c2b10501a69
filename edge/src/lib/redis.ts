// Upstash Redis over REST: every command is an HTTPS request, so a client per
// request costs nothing and keeps no socket. The default base64 response
// encoding stays on: it is what keeps non-ASCII strings intact.
import { Redis } from '@upstash/redis/cloudflare';
import type { RedisConfig } from '../env.ts';

export type { Redis };

export interface RedisOptions {
  /**
   * Give up fast: each attempt is aborted after this long and retried once,
   * instead of @upstash/redis's default five retries with exponential backoff
   * (seconds). For callers that must not wait on a slow Redis (rate limits,
   * caches).
   */
  timeoutMs?: number;
  /** false: strings come back exactly as stored (the client otherwise parses JSON-looking values). */
  deserialize?: boolean;
}

export function createRedis(config: RedisConfig, options: RedisOptions = {}): Redis {
  return new Redis({
    url: config.url,
    token: config.token,
    // Telemetry headers add nothing here and the local endpoint ignores them.
    enableTelemetry: false,
    ...(options.deserialize === false ? { automaticDeserialization: false } : {}),
    ...(options.timeoutMs !== undefined
      ? { retry: { retries: 1, backoff: () => 20 }, signal: () => AbortSignal.timeout(options.timeoutMs!) }
      : {}),
  });
}
