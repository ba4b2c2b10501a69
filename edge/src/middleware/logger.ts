// Puts a request-scoped logger on the context and writes one JSON line per
// request once the response (error responses included) is known. The level
// comes straight from LOG_LEVEL, not from the parsed config, so a broken
// configuration is still logged.
import type { MiddlewareHandler } from 'hono';
import { createLogger, parseLogLevel } from '../lib/logger.ts';
import type { AppEnv } from '../types.ts';

export function logger(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = Date.now();
    const log = createLogger(parseLogLevel(c.env?.LOG_LEVEL), { requestId: c.get('requestId') });
    c.set('logger', log);
    await next();
    const status = c.res.status;
    const level = status >= 500 ? 'error' : 'info';
    if (!log.enabled(level)) return;
    log[level]('request', { method: c.req.method, path: c.req.path, status, durationMs: Date.now() - start });
  };
}
