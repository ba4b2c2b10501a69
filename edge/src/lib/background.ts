// Work that should not delay the response (cache fills, limiter sync, sending
// messages) goes to ctx.waitUntil. `app.request()` without an execution
// context (tests, scripts) has nothing to extend: then the returned promise is
// the work itself, so the caller can await it and observe its effect.
import type { Context } from 'hono';

export function afterResponse(c: Context, work: Promise<unknown>): Promise<void> {
  const done = work.then(() => undefined);
  let ctx: { waitUntil(work: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    return done;
  }
  ctx.waitUntil(done.catch(() => undefined));
  return Promise.resolve();
}
