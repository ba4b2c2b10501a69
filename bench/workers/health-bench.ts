// Benchmark Worker: the production edge app and a bare Hono app in the SAME
// workerd isolate. `/bare/health` answers the bytes the real `/health` answers,
// without any middleware; everything else goes to the production Worker.
import { Hono } from 'hono';
import worker from '../../edge/src/index.ts';
import type { Env } from '../../edge/src/env.ts';

const bare = new Hono().get('/bare/health', (c) => c.json({ status: 'ok' }));

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    if (new URL(request.url).pathname.startsWith('/bare/')) return bare.fetch(request, env, ctx);
    return worker.fetch(request, env, ctx);
  },
};
