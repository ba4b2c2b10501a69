// Benchmark Worker for issue 4's catalog cache: the production app twice in
// one isolate, the second with CATALOG_CACHE=off (every read from Postgres),
// reached under /nocache/... so both share everything else. Reads are
// anonymous: signed-in reads would hit the per-user rate limit at this rate.
import { createApp } from '../../edge/src/app.ts';
import type { Env } from '../../edge/src/env.ts';

const app = createApp();
const uncached = new WeakMap<Env, Env>();

let n = 0;

export default {
  fetch(incoming: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    // Every request from its own address, so the per-IP rate limit (a real
    // part of the path) counts but never refuses: the bench is about the cache.
    const request = new Request(incoming);
    n = (n + 1) % 65_000;
    request.headers.set('CF-Connecting-IP', `10.${(n >> 8) & 255}.${n & 255}.${(n >> 16) + 1}`);
    const url = new URL(request.url);
    if (url.pathname.startsWith('/nocache/')) {
      let other = uncached.get(env);
      if (!other) uncached.set(env, (other = { ...env, CATALOG_CACHE: 'off' }));
      url.pathname = url.pathname.slice('/nocache'.length);
      return app.fetch(new Request(url, request), other, ctx);
    }
    return app.fetch(request, env, ctx);
  },
};
