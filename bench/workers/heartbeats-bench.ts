// Benchmark Worker for issue 4's heartbeat ingestion: the production app plus
// bench-only routes in the SAME isolate (no rate limit, which would cap both):
//   POST /bench/heartbeat/buffered - recordHeartbeat(): validation cached in
//                                    Redis, the position buffered in Redis
//   POST /bench/heartbeat/direct   - the same validation, then one Postgres
//                                    upsert per heartbeat (what the buffer avoids)
//   POST /bench/flush              - one flush of the buffer (what the cron runs)
import { flushProgress } from '../../db/sql/watch-history.ts';
import { createApp } from '../../edge/src/app.ts';
import { usable, type Env } from '../../edge/src/env.ts';
import { currentAuth, requireAuth } from '../../edge/src/middleware/auth.ts';
import { resumeOf } from '../../edge/src/lib/viewing-config.ts';
import { checkHeartbeat, recordHeartbeat } from '../../edge/src/services/viewing/history.ts';
import { flushBufferedProgress } from '../../edge/src/services/viewing/progress-buffer.ts';

const app = createApp();
const deps = (c: Parameters<Parameters<typeof app.post>[1]>[0]) => ({
  get db() {
    return c.get('services').db;
  },
  redis: c.get('services').redis,
  viewing: usable(c.get('config').viewing),
  leaseSeconds: usable(c.get('config').playback).leaseSeconds,
});

app.post('/bench/heartbeat/buffered', requireAuth(), async (c) => {
  const body = (await c.req.json()) as { contentId: string; positionSeconds: number };
  return c.json(await recordHeartbeat(deps(c), currentAuth(c), body), 202);
});

app.post('/bench/heartbeat/direct', requireAuth(), async (c) => {
  const body = (await c.req.json()) as { contentId: string; positionSeconds: number };
  const d = deps(c);
  // The same checks, then straight to Postgres: one upsert per heartbeat.
  const hb = await checkHeartbeat(d, currentAuth(c), body);
  await d.db.run(flushProgress([{ profileId: hb.profileId, ...hb.item, position: hb.position, duration: hb.duration, t: Date.now() }], d.viewing.resumeMax));
  return c.json(resumeOf(hb.position, hb.duration, d.viewing), 202);
});

app.post('/bench/flush', async (c) => {
  const d = deps(c);
  return c.json(await flushBufferedProgress({ redis: d.redis, db: d.db, completeRatio: d.viewing.resumeMax }));
});

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    return app.fetch(request, env, ctx);
  },
};
