// Parses the configuration (once per env object, see env.ts) and attaches the
// per-request services. Runs before CORS, which needs the allowed origins.
import type { MiddlewareHandler } from 'hono';
import { parseConfig } from '../env.ts';
import { createServices } from '../lib/services.ts';
import type { AppEnv } from '../types.ts';

export function init(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const config = parseConfig(c.env);
    c.set('config', config);
    c.set('services', createServices(config));
    await next();
  };
}
