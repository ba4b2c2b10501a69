// Benchmark Worker for issue 3: the production app (full middleware stack)
// with four bench-only routes in the SAME isolate, so the pairs differ only in
// what is being measured:
//   /bench/authed vs /bench/open  - requireAuth() (Ed25519 verification of the
//                                   access token + the Redis deny-list check)
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

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    return app.fetch(request, env, ctx);
  },
};
