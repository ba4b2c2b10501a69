// Issue #6 benchmarks, on the real local stack in one workerd:
//  1. POST /playback's mint (lookup + entitlement from the token + stream lease
//     + media token) vs GET /health through the same stack.
//  2. a cached segment through /media (token verify + Cache API hit) vs the
//     same bytes from a bare route. Target: at least 0.6.
//  3. media-token verification with keys imported once per isolate vs imported
//     on every request (expected: about 2x).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { signAccessToken } from '../edge/src/lib/auth/access-token.ts';
import { authSchema, toAuthConfig } from '../edge/src/lib/auth/config.ts';
import { stackPorts } from '../scripts/stack/ports.ts';
import { startStackProcess } from './lib/stack-process.ts';
import { MediaStore } from '../origin-worker/src/media/object-store.ts';
import { startWorkerd } from './lib/workerd-server.ts';
import { compare, printComparison } from './lib/load.ts';

export async function benchPlayback(opts: { seconds: number; connections: number; rounds: number }): Promise<void> {
  const stack = await startStackProcess({ seed: false });
  try {
    const fixture = await prepare(stack.env);
    const edge = await startWorkerd({ entry: 'bench/workers/playback-bench.ts', port: stackPorts('bench').edge, vars: { ...stack.env, LOG_LEVEL: 'error' } });
    try {
      const config = toAuthConfig(authSchema.parse(stack.env), stack.env.AUTH_SIGNING_KEYS!);
      const { token } = await signAccessToken(config, { userId: fixture.userId, sessionId: fixture.sessionId, role: 'viewer', profileId: null, maturityCap: null, tier: 'premium' });
      const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const body = JSON.stringify({ contentId: fixture.contentId });
      const minted = await fetch(`${edge.url}/bench/mint`, { method: 'POST', headers: auth, body });
      if (minted.status !== 201) throw new Error(`mint answered ${minted.status}: ${await minted.text()}`);
      const session = (await minted.json()) as { hls: string };
      const base = new URL(session.hls).pathname.replace(/master\.m3u8$/, '');
      const segmentPath = `${base}video/360p/seg-00001.m4s`;
      const mediaToken = base.split('/')[2]!;
      // Prime: the cache entry and the bare route's copy of the same bytes.
      const [viaMedia, bare] = [await fetch(`${edge.url}${segmentPath}`), await fetch(`${edge.url}/bench/bare-segment?src=${encodeURIComponent(segmentPath)}`)];
      const [x, y] = [Buffer.from(await viaMedia.arrayBuffer()), Buffer.from(await bare.arrayBuffer())];
      if (viaMedia.status !== 200 || !x.equals(y)) throw new Error(`segment through /media (${viaMedia.status}) differs from the bare route's bytes`);
      if ((await fetch(`${edge.url}${segmentPath}`)).headers.get('X-Cache') !== 'HIT') throw new Error('the second /media fetch was not a cache hit');

      const c = opts.connections;
      const s = opts.seconds;
      const mint = { url: `${edge.url}/bench/mint`, method: 'POST' as const, headers: auth, body, label: 'POST /playback mint', seconds: s, connections: c };
      const health = { url: `${edge.url}/health`, label: 'GET /health', seconds: s, connections: c };
      await compare({ ...mint, seconds: 2 }, { ...health, seconds: 2 }, 1);
      const [m, h] = await compare(mint, health, opts.rounds);
      printComparison(`playback: token mint + entitlement check + stream lease (POST /playback's handler) vs /health, same workerd (${opts.rounds}x${s}s each, ${c} connections)`, m, h);

      const cached = { url: `${edge.url}${segmentPath}`, label: 'GET /media segment (verify + cache hit)', seconds: s, connections: c };
      const bareSeg = { url: `${edge.url}/bench/bare-segment`, label: 'GET /bench/bare-segment (same bytes)', seconds: s, connections: c };
      await compare({ ...cached, seconds: 2 }, { ...bareSeg, seconds: 2 }, 1);
      const [cs, bs] = await compare(cached, bareSeg, opts.rounds);
      printComparison(`playback: cached segment delivery through /media vs the same ${x.byteLength} bytes from a bare route (${opts.rounds}x${s}s each, ${c} connections)`, cs, bs, { min: 0.6, what: 'of the bare route' });

      const once = { url: `${edge.url}/bench/verify/cached?token=${mediaToken}`, label: 'verify, keys imported once', seconds: s, connections: c };
      const each = { url: `${edge.url}/bench/verify/imported?token=${mediaToken}`, label: 'verify, key imported per request', seconds: s, connections: c };
      const [o, e] = await compare(once, each, opts.rounds);
      printComparison(`playback: media-token verification (HMAC) with keys imported once per isolate vs on every request (${opts.rounds}x${s}s each, ${c} connections)`, o, e);
      const q = encodeURIComponent(token);
      const accessOnce = { url: `${edge.url}/bench/verify-access/cached?token=${q}`, label: 'access token, keys imported once', seconds: s, connections: c };
      const accessEach = { url: `${edge.url}/bench/verify-access/imported?token=${q}`, label: 'access token, JWKs imported per request', seconds: s, connections: c };
      const [ao, ae] = await compare(accessOnce, accessEach, opts.rounds);
      printComparison(`playback: access-token verification (Ed25519 JWKs via jose) with keys imported once per isolate vs on every request`, ao, ae);
    } finally {
      await edge.stop();
    }
  } finally {
    await stack.stop();
  }
}

/** A premium viewer with a live device and session, and a published movie whose files are in the bucket. */
async function prepare(env: Record<string, string>): Promise<{ userId: string; sessionId: string; contentId: string }> {
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    // The limit check still runs on every mint, but 32 concurrent connections
    // must not be refused by it: lift the bench database's premium limit.
    await db.query(`ALTER TABLE subscription_tiers DROP CONSTRAINT subscription_tiers_max_streams_check`);
    await db.query(`UPDATE subscription_tiers SET max_streams = 10000 WHERE tier = 'premium'`);
    const { rows: [user] } = await db.query(`INSERT INTO users (phone, role) VALUES ('+989120009999', 'viewer') RETURNING id`);
    await db.query(`INSERT INTO subscriptions (user_id, tier, status, provider, current_period_start, current_period_end) VALUES ($1, 'premium', 'active', 'manual', now(), now() + interval '30 days')`, [user.id]);
    const { rows: [device] } = await db.query(`INSERT INTO devices (user_id, install_id, platform) VALUES ($1, 'bench-install-1', 'web') RETURNING id`, [user.id]);
    const { rows: [family] } = await db.query(`INSERT INTO refresh_token_families (user_id, device_id, expires_at) VALUES ($1, $2, now() + interval '1 day') RETURNING id`, [user.id, device.id]);
    const contentId = crypto.randomUUID();
    const assetId = crypto.randomUUID();
    const prefix = `assets/${assetId}/v1/`;
    await db.query('BEGIN');
    await db.query(`INSERT INTO content (id, type, status, published_at, year, maturity_rating, original_language) VALUES ($1, 'movie', 'published', now(), 2024, 12, 'fa')`, [contentId]);
    await db.query(`INSERT INTO content_translations (content_id, lang, title) VALUES ($1, 'fa', 'بنچ'), ($1, 'en', 'Bench')`, [contentId]);
    await db.query(`INSERT INTO video_assets (id, movie_id, status, source_key) VALUES ($1, $2, 'ready', 'uploads/bench/source')`, [assetId, contentId]);
    await db.query(`INSERT INTO video_asset_versions (asset_id, version, source_key, storage_prefix, duration_seconds, ready_at, published_at) VALUES ($1, 1, 'uploads/bench/source', $2, 600, now(), now())`, [assetId, prefix]);
    await db.query(`UPDATE video_assets SET published_version = 1 WHERE id = $1`, [assetId]);
    await db.query('COMMIT');
    // A typical 2 s 360p segment is ~100-200 kB.
    const store = new MediaStore({ endpoint: env.S3_ENDPOINT!, region: env.S3_REGION!, accessKeyId: env.S3_ACCESS_KEY_ID!, secretAccessKey: env.S3_SECRET_ACCESS_KEY!, bucket: env.MEDIA_BUCKET! });
    const put = (key: string, body: Buffer, contentType: string) => store.putBody(key, body, { contentType, cacheControl: 'public, max-age=60' });
    await put(`${prefix}master.m3u8`, Buffer.from('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\nvideo/360p/playlist.m3u8\n'), 'application/vnd.apple.mpegurl');
    await put(`${prefix}video/360p/seg-00001.m4s`, randomBytes(150_000), 'video/iso.segment');
    store.destroy();
    return { userId: user.id, sessionId: family.id, contentId };
  } finally {
    await db.end();
  }
}
