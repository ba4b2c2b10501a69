// Watch history (issue 4): heartbeats buffered in Redis, flushed in batches,
// reads that merge both, resume rules, next episode, editing verbs and their
// race with buffered heartbeats, and a failed flush that loses nothing.
// Every test that flushes lives in this file: the flush lock is global, and
// a flush in a parallel file would make these skip ('locked').
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import { sql } from '../../db/sql/statement.ts';
import { createDb } from '../src/lib/db.ts';
import type { Redis } from '../src/lib/redis.ts';
import { flushBufferedProgress, readBuffered } from '../src/services/viewing/progress-buffer.ts';
import { api, signInByPhone, testDb, testRedis } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';
import { movie, play, series, viewerWithProfile } from './playback-helpers.ts';

const beat = (token: string, body: Record<string, unknown>) => api('/history/heartbeat', { token, body });
const flush = (db = testDb()) => flushBufferedProgress({ redis: testRedis(), db, completeRatio: 0.9 });
const rowsOf = (profileId: string) =>
  testDb().run(sql<{ contentId: string; position: number; completed: boolean }>(`SELECT content_id AS "contentId", position_seconds AS position, completed FROM watch_history WHERE profile_id = $1 AND hidden_at IS NULL ORDER BY watched_at`, [profileId]));
const buffered = async (profileId: string) => Object.fromEntries([...(await readBuffered(testRedis(), profileId))].map(([k, v]) => [k, v.position]));

/**
 * Fault injection: the real Redis client, except around its `nth` eval (the
 * flush's steps are all scripts: 1 PICK, 2 TAKE, 3 COMMIT, 4 the lock's
 * release). 'before': that call fails without reaching Redis; 'after': Redis
 * runs it, then the flush fails as if the reply were lost or the Worker died;
 * a function runs just before that call.
 */
function faultyRedis(nth: number, fault: 'before' | 'after' | (() => Promise<unknown>)): Redis {
  const real = testRedis();
  let calls = 0;
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'eval') return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<Redis['eval']>) => {
        const n = ++calls;
        if (n === nth && fault === 'before') throw new Error(`injected: eval #${n} failed`);
        if (n === nth && typeof fault === 'function') await fault();
        const reply = await target.eval(...args);
        if (n === nth && fault === 'after') throw new Error(`injected: eval #${n} ran, then the flush died`);
        return reply;
      };
    },
  });
}

const item = async (token: string, contentId: string, episodeId?: string) =>
  ((await (await api(`/history/item?contentId=${contentId}${episodeId ? `&episodeId=${episodeId}` : ''}`, { token })).json()) as { item: { positionSeconds: number; state: string; resumeSeconds: number } | null }).item;

describe('progress heartbeats', () => {
  it('are buffered (Postgres untouched), read back at once, and one flush writes one row per item with the latest position', async () => {
    const v = await viewerWithProfile();
    const title = await movie(); // 120 s
    for (const position of [10, 20, 30]) expect((await beat(v.token, { contentId: title.contentId, positionSeconds: position })).status).toBe(202);
    expect(await rowsOf(v.profileId)).toEqual([]);
    expect(await item(v.token, title.contentId)).toMatchObject({ positionSeconds: 30, state: 'in_progress', resumeSeconds: 30 });
    // Playback resumes there before any flush.
    const early = (await (await play(v.token, { contentId: title.contentId })).json()) as { resumePositionSeconds: number; playbackSessionId: string };
    expect(early.resumePositionSeconds).toBe(30);
    await api(`/playback/${early.playbackSessionId}`, { method: 'DELETE', token: v.token });

    const result = await flush();
    expect(result.entries).toBeGreaterThanOrEqual(1);
    expect(await rowsOf(v.profileId)).toEqual([{ contentId: title.contentId, position: 30, completed: false }]);
    expect((await readBuffered(testRedis(), v.profileId)).size).toBe(0);
    // Playback resumes there.
    expect(((await (await play(v.token, { contentId: title.contentId })).json()) as { resumePositionSeconds: number }).resumePositionSeconds).toBe(30);
  });

  it('applies the resume rules: under 5% from the start, past 90% watched and the next episode offered, nothing after the last', async () => {
    const v = await viewerWithProfile();
    const film = await movie();
    await beat(v.token, { contentId: film.contentId, positionSeconds: 4 }); // 3%
    expect(await item(v.token, film.contentId)).toMatchObject({ state: 'not_started', resumeSeconds: 0 });
    await beat(v.token, { contentId: film.contentId, positionSeconds: 60 });
    expect(await item(v.token, film.contentId)).toMatchObject({ state: 'in_progress', resumeSeconds: 60 });

    const show = await series({ episodes: 2 });
    await beat(v.token, { contentId: show.contentId, episodeId: show.episodeIds[0], positionSeconds: 115 }); // 96%
    expect(await item(v.token, show.contentId, show.episodeIds[0])).toMatchObject({ state: 'watched', resumeSeconds: 0 });
    const next = (await (await api('/history/continue', { token: v.token })).json()) as { items: { contentId: string; episodeId: string | null; reason: string }[] };
    expect(next.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ contentId: show.contentId, episodeId: show.episodeIds[1], reason: 'next_episode' }),
        expect.objectContaining({ contentId: film.contentId, reason: 'resume' }),
      ]),
    );
    // The last episode finished too: nothing more to offer for that series.
    await testDb().run(sql(`INSERT INTO video_assets (episode_id, status, source_key) VALUES ($1, 'uploading', 'uploads/x')`, [show.episodeIds[1]]));
    await beat(v.token, { contentId: show.contentId, episodeId: show.episodeIds[1], positionSeconds: 500, durationSeconds: 500 });
    const after = (await (await api('/history/continue', { token: v.token })).json()) as { items: { contentId: string }[] };
    expect(after.items.filter((i) => i.contentId === show.contentId)).toEqual([]);
  });

  it('remove and clear also drop buffered progress, and a flush already holding it cannot bring it back', async () => {
    const v = await viewerWithProfile();
    const [a, b] = [await movie(), await movie()];
    await beat(v.token, { contentId: a.contentId, positionSeconds: 50 });
    await beat(v.token, { contentId: b.contentId, positionSeconds: 50 });
    // A flush takes the buffer (as if it were mid-flight) ... then the viewer removes A.
    const redis = testRedis();
    await redis.rename(`hb:p:${v.profileId}`, `hb:inflight:${v.profileId}`);
    const inflight = await redis.hgetall(`hb:inflight:${v.profileId}`);
    expect((await api(`/history/item?contentId=${a.contentId}`, { method: 'DELETE', token: v.token })).status).toBe(204);
    // ... and the flush writes what it had taken: A stays removed.
    await redis.hset(`hb:inflight:${v.profileId}`, inflight as Record<string, unknown>);
    await redis.sadd('hb:dirty', v.profileId);
    await flush();
    expect((await rowsOf(v.profileId)).map((r) => r.contentId)).toEqual([b.contentId]);
    expect(await item(v.token, a.contentId)).toBeNull();
    // A newer heartbeat brings it back.
    await beat(v.token, { contentId: a.contentId, positionSeconds: 70 });
    await flush();
    expect(await item(v.token, a.contentId)).toMatchObject({ positionSeconds: 70 });

    await beat(v.token, { contentId: b.contentId, positionSeconds: 80 });
    expect((await api('/history', { method: 'DELETE', token: v.token })).status).toBe(204);
    await flush();
    expect(await rowsOf(v.profileId)).toEqual([]);
    expect(((await (await api('/history', { token: v.token })).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('marks watched and unwatched', async () => {
    const v = await viewerWithProfile();
    const film = await movie();
    await beat(v.token, { contentId: film.contentId, positionSeconds: 40 });
    const watched = await api('/history/watched', { method: 'PUT', token: v.token, body: { contentId: film.contentId, watched: true } });
    expect(await watched.json()).toMatchObject({ state: 'watched', positionSeconds: 120 });
    await flush(); // the older buffered 40 s must not win
    expect(await item(v.token, film.contentId)).toMatchObject({ state: 'watched' });
    const unwatched = await api('/history/watched', { method: 'PUT', token: v.token, body: { contentId: film.contentId, watched: false } });
    expect(await unwatched.json()).toMatchObject({ state: 'not_started', positionSeconds: 0 });
  });

  it('a flush that fails loses nothing: the next one writes it all', async () => {
    const v = await viewerWithProfile();
    const film = await movie();
    await beat(v.token, { contentId: film.contentId, positionSeconds: 33 });
    const broken = createDb({ databaseUrl: 'postgres://irdnl:wrong@127.0.0.1:1/nope', fetchEndpoint: 'http://127.0.0.1:1/sql' });
    await expect(flush(broken)).rejects.toThrow();
    expect((await readBuffered(testRedis(), v.profileId)).get(`${film.contentId}|-`)).toMatchObject({ position: 33 });
    expect(await rowsOf(v.profileId)).toEqual([]);
    // A heartbeat that arrives meanwhile is newer and wins.
    await beat(v.token, { contentId: film.contentId, positionSeconds: 36 });
    await flush();
    expect(await rowsOf(v.profileId)).toEqual([{ contentId: film.contentId, position: 36, completed: false }]);
  });

  it('flushes many profiles in batches, one script and one statement each, and a failed batch gives all of its profiles back', async () => {
    const viewers = await Promise.all([1, 2, 3, 4, 5].map(() => viewerWithProfile()));
    const film = await movie();
    await Promise.all(viewers.map((v, i) => beat(v.token, { contentId: film.contentId, positionSeconds: 10 + i })));

    const broken = createDb({ databaseUrl: 'postgres://irdnl:wrong@127.0.0.1:1/nope', fetchEndpoint: 'http://127.0.0.1:1/sql' });
    await expect(flushBufferedProgress({ redis: testRedis(), db: broken, completeRatio: 0.9, batchSize: 2 })).rejects.toThrow();
    for (const [i, v] of viewers.entries()) {
      expect((await readBuffered(testRedis(), v.profileId)).get(`${film.contentId}|-`)).toMatchObject({ position: 10 + i });
      expect(await rowsOf(v.profileId)).toEqual([]);
    }

    const result = await flushBufferedProgress({ redis: testRedis(), db: testDb(), completeRatio: 0.9, batchSize: 2 });
    // Other test files' profiles may share the dirty set: at least ours, in batches of two.
    expect(result.profiles).toBeGreaterThanOrEqual(5);
    expect(result.batches).toBeGreaterThanOrEqual(3);
    for (const [i, v] of viewers.entries()) {
      expect(await rowsOf(v.profileId)).toEqual([{ contentId: film.contentId, position: 10 + i, completed: false }]);
      expect((await readBuffered(testRedis(), v.profileId)).size).toBe(0);
    }
  });

  it.each([
    ['PICK fails', 1, 'before'],
    ['PICK ran, then the flush died (the profile is in neither dirty nor in-flight)', 1, 'after'],
    ['TAKE fails', 2, 'before'],
    ['TAKE ran, then the flush died', 2, 'after'],
    ['the write committed, then COMMIT fails', 3, 'before'],
    ['COMMIT ran, then the flush died', 3, 'after'],
  ] as const)('a flush that fails after picking loses nothing (%s): the next flush writes every position', async (_name, nth, when) => {
    const v = await viewerWithProfile();
    const [a, b] = [await movie(), await movie()];
    await beat(v.token, { contentId: a.contentId, positionSeconds: 41 });
    await beat(v.token, { contentId: b.contentId, positionSeconds: 52 });
    await expect(flushBufferedProgress({ redis: faultyRedis(nth, when), db: testDb(), completeRatio: 0.9 })).rejects.toThrow(/injected/);
    // Reads still see it. No heartbeat meanwhile: that alone would mark the profile dirty again.
    expect(await item(v.token, b.contentId)).toMatchObject({ positionSeconds: 52 });

    await flush();
    expect(new Map((await rowsOf(v.profileId)).map((r) => [r.contentId, r.position]))).toEqual(new Map([[a.contentId, 41], [b.contentId, 52]]));
    expect(await buffered(v.profileId)).toEqual({});
    expect(await testRedis().sismember('hb:flushing', v.profileId)).toBe(0);
    expect(await testRedis().sismember('hb:dirty', v.profileId)).toBe(0);
  });

  it('a flush that outlived its lock stops and leaves its batch to the next run', async () => {
    const v = await viewerWithProfile();
    const film = await movie();
    await beat(v.token, { contentId: film.contentId, positionSeconds: 61 });
    // Before COMMIT, the lock expires and another run takes it.
    const other = crypto.randomUUID();
    const stolen = () => testRedis().set('hb:flush-lock', other, { ex: 30 });
    const result = await flushBufferedProgress({ redis: faultyRedis(3, stolen), db: testDb(), completeRatio: 0.9 });
    expect(result.skipped).toBe('lock_lost');
    // Its write went through, but it deleted nothing the other run may own.
    expect(await rowsOf(v.profileId)).toEqual([{ contentId: film.contentId, position: 61, completed: false }]);
    expect(await testRedis().hgetall(`hb:inflight:${v.profileId}`)).not.toBeNull();
    expect(await testRedis().sismember('hb:flushing', v.profileId)).toBe(1);
    // That run is gone: the next one writes it again, harmlessly, and tidies up.
    await testRedis().eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, ['hb:flush-lock'], [other]);
    await flush();
    expect(await rowsOf(v.profileId)).toEqual([{ contentId: film.contentId, position: 61, completed: false }]);
    expect(await buffered(v.profileId)).toEqual({});
    expect(await testRedis().sismember('hb:flushing', v.profileId)).toBe(0);
  });

  it('flushes fractional positions and lengths (players report currentTime, videos are not whole seconds)', async () => {
    const v = await viewerWithProfile();
    const film = await movie({ video: 'none' });
    await beat(v.token, { contentId: film.contentId, positionSeconds: 95.6, durationSeconds: 100.4 });
    expect((await flush()).skipped).toBeUndefined();
    expect(await rowsOf(v.profileId)).toEqual([{ contentId: film.contentId, position: 96, completed: true }]);
  });

  it('keeps profiles apart, needs a profile, refuses what the profile cannot see and bad input', async () => {
    const [me, other] = [await viewerWithProfile(), await viewerWithProfile()];
    const film = await movie();
    await beat(me.token, { contentId: film.contentId, positionSeconds: 30 });
    expect(await item(other.token, film.contentId)).toBeNull();
    expect(((await (await api('/history', { token: other.token })).json()) as { items: unknown[] }).items).toEqual([]);

    const noProfile = await signInByPhone();
    const body = await expectEnvelope(await beat(noProfile.accessToken, { contentId: film.contentId, positionSeconds: 1 }), 409, 'CONFLICT');
    expect(body.error.details.reason).toBe('profile_required');
    await expectEnvelope(await beat(me.token, { contentId: (await movie({ status: 'draft' })).contentId, positionSeconds: 1 }), 404, 'NOT_FOUND');
    await expectEnvelope(await beat(me.token, { contentId: film.contentId, positionSeconds: -1 }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await beat(me.token, { contentId: film.contentId, positionSeconds: 999 }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await beat(me.token, { contentId: 'nope', positionSeconds: 1 }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await beat(me.token, { contentId: film.contentId, positionSeconds: 1, extra: true }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await api('/history?cursor=bogus', { token: me.token }), 400, 'VALIDATION_FAILED');
  });

  it('renews the stream lease, and tells a stopped stream to stop', async () => {
    const v = await viewerWithProfile();
    const film = await movie();
    const session = (await (await play(v.token, { contentId: film.contentId })).json()) as { playbackSessionId: string };
    expect((await beat(v.token, { contentId: film.contentId, positionSeconds: 12, playbackSessionId: session.playbackSessionId })).status).toBe(202);
    expect((await api(`/playback/${session.playbackSessionId}`, { method: 'DELETE', token: v.token })).status).toBe(204);
    const stopped = await expectEnvelope(await beat(v.token, { contentId: film.contentId, positionSeconds: 22, playbackSessionId: session.playbackSessionId }), 409, 'CONFLICT');
    expect(stopped.error.details.reason).toBe('stream_stopped');
  });

  it('the Worker’s cron flushes the buffer', async () => {
    const v = await viewerWithProfile();
    const film = await movie();
    await beat(v.token, { contentId: film.contentId, positionSeconds: 25 });
    const pending: Promise<unknown>[] = [];
    worker.scheduled!({ cron: '* * * * *', scheduledTime: Date.now(), noRetry() {} } as ScheduledController, env, { waitUntil: (p: Promise<unknown>) => pending.push(p), passThroughOnException() {}, props: {} } as unknown as ExecutionContext);
    await Promise.all(pending);
    expect(await rowsOf(v.profileId)).toEqual([{ contentId: film.contentId, position: 25, completed: false }]);
  });
});
