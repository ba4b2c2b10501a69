// Watch history (issue 4): heartbeats buffered in Redis, flushed in batches,
// reads that merge both, resume rules, next episode, editing verbs and their
// race with buffered heartbeats, and a failed flush that loses nothing.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import { sql } from '../../db/sql/statement.ts';
import { createDb } from '../src/lib/db.ts';
import { flushBufferedProgress, readBuffered } from '../src/services/viewing/progress-buffer.ts';
import { api, signInByPhone, testDb, testRedis } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';
import { movie, play, series, viewerWithProfile } from './playback-helpers.ts';

const beat = (token: string, body: Record<string, unknown>) => api('/history/heartbeat', { token, body });
const flush = (db = testDb()) => flushBufferedProgress({ redis: testRedis(), db, completeRatio: 0.9 });
const rowsOf = (profileId: string) =>
  testDb().run(sql<{ contentId: string; position: number; completed: boolean }>(`SELECT content_id AS "contentId", position_seconds AS position, completed FROM watch_history WHERE profile_id = $1 AND hidden_at IS NULL ORDER BY watched_at`, [profileId]));
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
