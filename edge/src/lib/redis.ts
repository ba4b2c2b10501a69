// Upstash Redis over REST: every command is its own HTTPS request (a fetch
// made in the calling request), so the client holds no socket and no I/O
// object. The default base64 response encoding stays on: it is what keeps
// non-ASCII strings intact.
//
// Clients are made once per isolate and configuration, not per request:
// constructing one is not cheap. @upstash/redis defines every command as an
// instance field (a few hundred closures, each named by the deploy bundle's
// keepNames helper), and with auto-pipelining on it also builds a Pipeline of
// the same size: about 0.3 ms of CPU per client, then 0.7 ms with the
// pipeline, seen in CPU profiles of workerd under `npm run bench catalog`
// (a third of the Redis-cached read). Sharing one is safe because it is plain
// configuration over fetch: nothing in it belongs to a request. That holds
// only with auto-pipelining OFF, which would otherwise batch commands of
// concurrent requests into one fetch owned by whichever request came first.
// Commands that belong together go as one explicit pipeline or one script.
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

// Per parsed configuration (parseConfig keeps one per env), per options.
const clients = new WeakMap<RedisConfig, Map<string, Redis>>();

export function createRedis(config: RedisConfig, options: RedisOptions = {}): Redis {
  let byOptions = clients.get(config);
  if (!byOptions) clients.set(config, (byOptions = new Map()));
  const key = `${options.timeoutMs ?? ''}|${options.deserialize ?? ''}`;
  let client = byOptions.get(key);
  if (!client) byOptions.set(key, (client = newRedis(config, options)));
  return client;
}

function newRedis(config: RedisConfig, options: RedisOptions): Redis {
  return new Redis({
    url: config.url,
    token: config.token,
    // Telemetry headers add nothing here and the local endpoint ignores them.
    enableTelemetry: false,
    enableAutoPipelining: false,
    ...(options.deserialize === false ? { automaticDeserialization: false } : {}),
    ...(options.timeoutMs !== undefined
      ? { retry: { retries: 1, backoff: () => 20 }, signal: () => AbortSignal.timeout(options.timeoutMs!) }
      : {}),
  });
}
