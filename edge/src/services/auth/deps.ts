// What the identity verbs need, without Hono: routes build it from the
// request's services and parsed configuration.
import type { Db } from '../../../../db/sql/statement.ts';
import type { AuthConfig, NotifyConfig } from '../../lib/auth/config.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Redis } from '../../lib/redis.ts';

export interface AuthDeps {
  db: Db;
  redis: Redis;
  auth: AuthConfig;
  logger: Logger;
}

export interface NotifyDeps extends AuthDeps {
  notify: NotifyConfig;
  /** Runs work after the response (ctx.waitUntil), or awaits it when there is no execution context. */
  background(work: Promise<unknown>): void | Promise<void>;
}
