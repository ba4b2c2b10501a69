// Benchmark Worker for issue 3: the production app (full middleware stack)
// with four bench-only routes in the SAME isolate, so the pairs differ only in
// what is being measured:
//   /bench/authed vs /bench/open  - requireAuth() (Ed25519 verification of the
//                                   access token + the deny-list check with the
//                                   production per-isolate memo)
//   /bench/authed-nomemo          - the same with AUTH_REVOCATION_CACHE_MS=0, so
//                                   every request asks Redis (the split)
//   /bench/hash   vs /bench/nohash - one Argon2id hash at PASSWORD_PARAMS
// Each answers the same bytes.
import type { Context } from 'hono';
import { createApp } from '../../edge/src/app.ts';
import type { Env } from '../../edge/src/env.ts';
import { hashPassword, PASSWORD_PARAMS } from '../../edge/src/lib/auth/password.ts';
import { requireAuth } from '../../edge/src/middleware/auth.ts';
import type { AppEnv } from '../../edge/src/types.ts';

const ok = (c: Context<AppEnv>) => c.json({ status: 'ok' });

// Built once per isolate, like edge/src/index.ts: routes and middleware only.
const app = createApp();
app.get('/bench/open', ok);
app.get('/bench/authed', requireAuth(), ok);
app.get('/bench/nohash', ok);
app.get('/bench/hash', async (c) => {
  await hashPassword('correct horse battery staple');
  c.header('X-Hash-Params', `m=${PASSWORD_PARAMS.m},t=${PASSWORD_PARAMS.t},p=${PASSWORD_PARAMS.p}`);
  return ok(c);
});

// The same bindings with the memo off, built once per env object so the config
// is parsed once (env.ts caches per env object), like the real one.
const noMemo = new WeakMap<Env, Env>();

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/bench/authed-nomemo') {
      let other = noMemo.get(env);
      if (!other) noMemo.set(env, (other = { ...env, AUTH_REVOCATION_CACHE_MS: '0' }));
      url.pathname = '/bench/authed';
      return app.fetch(new Request(url, request), other, ctx);
    }
    return app.fetch(request, env, ctx);
  },
};
