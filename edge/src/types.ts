import type { Config, Env } from './env.ts';
import type { Logger } from './lib/logger.ts';
import type { MediaGrant } from './lib/playback/media-token.ts';
import type { Services } from './lib/services.ts';
import type { AuthContext } from './middleware/auth.ts';

export type { Env };

/**
 * The Hono environment of every route and middleware. Read the variables with
 * `c.get('config')`, not `c.var.config`: Hono builds a fresh object of all of
 * them on every `c.var` access (Object.fromEntries), a cost paid several times
 * per request that showed in workerd CPU profiles of the heartbeat path.
 */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Scoped to this request: every line carries the request id. */
    logger: Logger;
    config: Config;
    services: Services;
    /** Set by requireAuth() (edge/src/middleware/auth.ts) on authenticated routes. */
    auth?: AuthContext;
    /** Set by requireMediaToken() (edge/src/middleware/media-token.ts) on /media routes. */
    mediaGrant?: MediaGrant;
  };
};
