// Benchmark Worker for issue 6: the production app plus bench-only routes in
// the SAME isolate, so each pair differs only in what is measured:
//   POST /bench/mint        - POST /playback's handler (one lookup, the lease
//                             script, the token) minus its rate limit, then the
//                             lease is released so the stream limit never bites
//   GET  /health            - the baseline through the same stack
//   GET  /media/...         - the production route (token verify + Cache API hit)
//   GET  /bench/bare-segment - the same bytes from memory, nothing else
//   GET  /bench/verify/{cached,imported}        - verify a media token (HMAC) with
//                                   keys imported once per isolate / per request
//   GET  /bench/verify-access/{cached,imported} - the same for an access token
//                                   (Ed25519 JWKs through jose)
import type { Context } from 'hono';
import { createApp } from '../../edge/src/app.ts';
import { usable, type Env } from '../../edge/src/env.ts';
import { importKeys, verifyAccessToken } from '../../edge/src/lib/auth/access-token.ts';
import { importMediaKeys, mediaKeysFor, verifyMediaToken } from '../../edge/src/lib/playback/media-token.ts';
import { currentAuth, requireAuth } from '../../edge/src/middleware/auth.ts';
import { mintPlayback } from '../../edge/src/services/playback/mint-playback.ts';
import { stopStream } from '../../edge/src/services/playback/streams.ts';
import type { AppEnv } from '../../edge/src/types.ts';

const app = createApp();

app.post('/bench/mint', requireAuth(), async (c) => {
  const playback = usable(c.get('config').playback);
  const body = (await c.req.json()) as { contentId: string };
  const auth = currentAuth(c);
  const session = await mintPlayback(
    { db: c.get('services').db, redis: c.get('services').redis, playback, mediaBase: new URL(c.req.url).origin, viewing: usable(c.get('config').viewing) },
    auth,
    { contentId: body.contentId, kind: 'main' },
  );
  await stopStream(c.get('services').redis, auth.userId, session.playbackSessionId);
  return c.json(session, 201);
});

// The bytes of one segment, fetched once through /media by the harness
// (?src=<media path>) and kept for the isolate.
let segment: ArrayBuffer | undefined;
app.get('/bench/bare-segment', async (c) => {
  if (!segment) {
    const src = c.req.query('src');
    if (!src) return c.text('prime me with ?src=/media/...', 400);
    segment = await (await app.request(src, undefined, c.env)).arrayBuffer();
  }
  return c.body(segment, 200, { 'Content-Type': 'video/iso.segment' });
});

const verify = (imported: boolean) => async (c: Context<AppEnv>) => {
  const playback = usable(c.get('config').playback);
  const keys = imported ? await importMediaKeys(playback.tokenKeys) : await mediaKeysFor(playback.tokenKeysSource, playback.tokenKeys);
  const grant = await verifyMediaToken(keys, c.req.query('token') ?? '');
  return grant ? c.json({ ok: true }) : c.json({ ok: false }, 403);
};
app.get('/bench/verify/cached', verify(false));
app.get('/bench/verify/imported', verify(true));

// Keys imported once, but no remembered verifications (a fresh `verified`
// map each time), so the pair differs only in the import.
let importedOnce: ReturnType<typeof importKeys> | undefined;
const verifyAccess = (imported: boolean) => async (c: Context<AppEnv>) => {
  const auth = usable(c.get('config').auth);
  importedOnce ??= importKeys(auth.signingKeys);
  const keys = imported ? importKeys(auth.signingKeys) : importedOnce.then((k) => ({ ...k, verified: new Map() }));
  const claims = await verifyAccessToken(auth, c.req.query('token') ?? '', keys);
  return claims ? c.json({ ok: true }) : c.json({ ok: false }, 403);
};
app.get('/bench/verify-access/cached', verifyAccess(false));
app.get('/bench/verify-access/imported', verifyAccess(true));

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    return app.fetch(request, env, ctx);
  },
};
