// Upstash Redis over REST: every command is an HTTPS request, so a client per
// request costs nothing and keeps no socket. The default base64 response
// encoding stays on: it is what keeps non-ASCII strings intact.
import { Redis } from '@upstash/redis/cloudflare';
import type { RedisConfig } from '../env.ts';

export type { Redis };

export function createRedis(config: RedisConfig): Redis {
  return new Redis({
    url: config.url,
    token: config.token,
    // Telemetry headers add nothing here and the local endpoint ignores them.
    enableTelemetry: false,
  });
}
