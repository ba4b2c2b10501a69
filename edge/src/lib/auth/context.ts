// Builds the identity verbs' dependencies from a request context. A broken
// AUTH_* or notification setting fails here as CONFIG_INVALID naming it.
import type { Context } from 'hono';
import type { DependencyConfig } from '../../env.ts';
import type { AuthDeps, NotifyDeps } from '../../services/auth/deps.ts';
import type { AppEnv } from '../../types.ts';
import type { AuthConfig } from './config.ts';

export function authConfig(c: Context<AppEnv>): AuthConfig {
  return usable(c.var.config.auth);
}

export function authDeps(c: Context<AppEnv>): AuthDeps {
  return { db: c.var.services.db, redis: c.var.services.redis, auth: authConfig(c), logger: c.var.logger };
}

export function notifyDeps(c: Context<AppEnv>): NotifyDeps {
  return {
    ...authDeps(c),
    notify: usable(c.var.config.notify),
    background(work) {
      // Sending after the response keeps "account exists" (a message goes out)
      // and "no account" (nothing to send) equally fast for the caller.
      let ctx: { waitUntil(work: Promise<unknown>): void } | undefined;
      try {
        ctx = c.executionCtx;
      } catch {
        ctx = undefined; // app.request() in tests: no execution context, so wait instead
      }
      if (ctx) ctx.waitUntil(work);
      else return work.then(() => undefined);
    },
  };
}

/** The caller's IP: Cloudflare sets CF-Connecting-IP on every request; nothing else is trusted. */
export function clientIp(c: Context<AppEnv>): string {
  return c.req.header('CF-Connecting-IP') ?? 'unknown';
}

function usable<T>(dep: DependencyConfig<T>): T {
  if (!dep.ok) throw dep.error;
  return dep.value;
}
