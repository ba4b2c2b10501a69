// Builds the identity verbs' dependencies from a request context. A broken
// AUTH_* or notification setting fails here as CONFIG_INVALID naming it.
import type { Context } from 'hono';
import { usable } from '../../env.ts';
import { afterResponse } from '../background.ts';
import type { AuthDeps, NotifyDeps } from '../../services/auth/deps.ts';
import type { AppEnv } from '../../types.ts';
import type { AuthConfig } from './config.ts';

export function authConfig(c: Context<AppEnv>): AuthConfig {
  return usable(c.get('config').auth);
}

export function authDeps(c: Context<AppEnv>): AuthDeps {
  return { db: c.get('services').db, redis: c.get('services').redis, auth: authConfig(c), logger: c.get('logger') };
}

export function notifyDeps(c: Context<AppEnv>): NotifyDeps {
  return {
    ...authDeps(c),
    notify: usable(c.get('config').notify),
    // Sending after the response keeps "account exists" (a message goes out)
    // and "no account" (nothing to send) equally fast for the caller.
    background: (work) => afterResponse(c, work),
  };
}

/** The caller's IP: Cloudflare sets CF-Connecting-IP on every request; nothing else is trusted. */
export function clientIp(c: Context<AppEnv>): string {
  return c.req.header('CF-Connecting-IP') ?? 'unknown';
}
