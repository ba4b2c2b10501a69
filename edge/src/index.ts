// Worker entry. The app is built once per isolate: it holds routes and
// middleware only (no clients, no request data), which is what makes sharing
// it across requests safe.
import { createApp } from './app.ts';
import type { Env } from './env.ts';
import { runScheduled } from './scheduled.ts';

export { createApp } from './app.ts';
export type { Env } from './env.ts';
export type { AppEnv } from './types.ts';

const app = createApp();

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    return app.fetch(request, env, ctx);
  },
  scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): void {
    ctx.waitUntil(runScheduled(env));
  },
} satisfies ExportedHandler<Env>;
