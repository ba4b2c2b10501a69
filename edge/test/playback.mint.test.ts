// POST /playback: visibility, entitlement, device, stream limits, and URLs
// that really play through /media.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { verifyMediaToken, mediaKeysFor } from '../src/lib/playback/media-token.ts';
import { api, insertProfile, testDb } from './auth-helpers.ts';
import { call, expectEnvelope } from './helpers.ts';
import { playbackSettings } from './media-helpers.ts';
import { movie, play, series, viewerOn } from './playback-helpers.ts';

interface Session {
  playbackSessionId: string;
  assetId: string;
  hls: string;
  dash: string;
  storyboard: string | null;
  poster: string | null;
  maxHeight: number;
  resumePositionSeconds: number;
  subtitles: { lang: string; hls: string }[];
  expiresAt: string;
}

const pathOf = (url: string) => new URL(url).pathname;
async function grantOf(url: string) {
  const s = playbackSettings();
  return verifyMediaToken(await mediaKeysFor(s.tokenKeysSource, s.tokenKeys), pathOf(url).split('/')[2]!);
}

describe('minting a playback session', () => {
  it('answers tokenized HLS/DASH/storyboard URLs that play through /media, capped at the plan’s height', async () => {
    const title = await movie();
    const viewer = await viewerOn('basic');
    const res = await play(viewer.accessToken, { contentId: title.contentId });
    expect(res.status).toBe(201);
    const s = (await res.json()) as Session;
    expect(s).toMatchObject({ assetId: title.assetId, maxHeight: 720, resumePositionSeconds: 0 });
    expect(pathOf(s.hls)).toMatch(new RegExp(`^/media/[A-Za-z0-9_.-]+/${title.assetId}/master\\.m3u8$`));
    expect(pathOf(s.dash)).toMatch(/\/manifest\.mpd$/);
    expect(pathOf(s.storyboard!)).toMatch(/\/images\/storyboard\/thumbnails\.vtt$/);
    expect(s.subtitles).toEqual([expect.objectContaining({ lang: 'en' })]);
    expect(pathOf(s.subtitles[0]!.hls)).toMatch(/\/text\/en\/playlist\.m3u8$/);

    const master = await call(pathOf(s.hls));
    expect(master.status).toBe(200);
    const text = await master.text();
    expect(text).toContain('video/720p/playlist.m3u8');
    expect(text).not.toContain('1080p');
    expect((await call(pathOf(s.storyboard!))).status).toBe(200);

    const grant = await grantOf(s.hls);
    expect(grant).toMatchObject({ assetId: title.assetId, version: 1, playbackSessionId: s.playbackSessionId, userId: viewer.user.id, maxHeight: 720, final: true });
    // A movie's URLs live PLAYBACK_TTL_MOVIE_SECONDS (6 h by default).
    expect(grant!.expiresAt - grant!.notBefore).toBe(playbackSettings().ttlSeconds.movie);
  });

  it('plays a series episode (episodeId required) and a trailer (free plan too)', async () => {
    const show = await series({ trailer: false });
    const premium = await viewerOn('premium');
    await expectEnvelope(await play(premium.accessToken, { contentId: show.contentId }), 400, 'VALIDATION_FAILED');
    const ep = await play(premium.accessToken, { contentId: show.contentId, episodeId: show.episodeId });
    expect(ep.status).toBe(201);
    const epGrant = await grantOf(((await ep.json()) as Session).hls);
    expect(epGrant!.expiresAt - epGrant!.notBefore).toBe(playbackSettings().ttlSeconds.episode);
    await expectEnvelope(await play(premium.accessToken, { contentId: show.contentId, episodeId: crypto.randomUUID() }), 404, 'NOT_FOUND');

    const title = await movie({ trailer: true });
    const free = await viewerOn('free');
    const refused = await expectEnvelope(await play(free.accessToken, { contentId: title.contentId }), 403, 'FORBIDDEN');
    expect(refused.error.details.reason).toBe('subscription_required');
    const trailer = await play(free.accessToken, { contentId: title.contentId, kind: 'trailer' });
    expect(trailer.status).toBe(201);
    const t = (await trailer.json()) as Session;
    expect(t.assetId).toBe(title.trailerAssetId);
    expect(t.maxHeight).toBe(480);
  });

  it('hides what the profile may not see: drafts, future schedules, unpublished episodes, above the kids cap', async () => {
    const viewer = await viewerOn('premium');
    for (const hidden of [await movie({ status: 'draft' }), await movie({ status: 'scheduled' })]) {
      await expectEnvelope(await play(viewer.accessToken, { contentId: hidden.contentId }), 404, 'NOT_FOUND');
    }
    const show = await series({ episodeStatus: 'draft' });
    await expectEnvelope(await play(viewer.accessToken, { contentId: show.contentId, episodeId: show.episodeId }), 404, 'NOT_FOUND');
    await expectEnvelope(await play(viewer.accessToken, { contentId: crypto.randomUUID() }), 404, 'NOT_FOUND');

    // A kids profile (cap 7) cannot play a title rated 12; the same account without the profile can.
    const rated12 = await movie({ maturity: 12 });
    const kidsId = (await testDb().run(sql<{ id: string }>(`INSERT INTO profiles (user_id, name, is_kids, maturity_cap) VALUES ($1, 'Kids', true, 7) RETURNING id`, [viewer.user.id])))[0]!.id;
    const switched = await api('/auth/session/profile', { method: 'PUT', token: viewer.accessToken, body: { profileId: kidsId } });
    const kidsToken = ((await switched.json()) as { accessToken: string }).accessToken;
    await expectEnvelope(await play(kidsToken, { contentId: rated12.contentId }), 404, 'NOT_FOUND');
    expect((await play(kidsToken, { contentId: (await movie({ maturity: 7 })).contentId })).status).toBe(201);
  });

  it('lets editors preview a draft, and says when a title cannot be played yet', async () => {
    const draft = await movie({ status: 'draft' });
    const editor = await viewerOn('free', 'editor');
    expect((await play(editor.accessToken, { contentId: draft.contentId })).status).toBe(201);

    const viewer = await viewerOn('premium');
    for (const video of ['none', 'processing'] as const) {
      const body = await expectEnvelope(await play(viewer.accessToken, { contentId: (await movie({ video })).contentId }), 409, 'CONFLICT');
      expect(body.error.details.reason).toBe('not_available');
    }
    // A first version whose lowest rung is out already plays, with short-lived playlist caching.
    const early = await play(viewer.accessToken, { contentId: (await movie({ video: 'playable' })).contentId });
    expect(early.status).toBe(201);
    expect(await grantOf(((await early.json()) as Session).hls)).toMatchObject({ final: false });
  });

  it('resumes where the profile left off, and not after it finished', async () => {
    const viewer = await viewerOn('premium');
    const profileId = await insertProfile(viewer.user.id, 'Main');
    const switched = await api('/auth/session/profile', { method: 'PUT', token: viewer.accessToken, body: { profileId } });
    const token = ((await switched.json()) as { accessToken: string }).accessToken;
    const [half, done] = [await movie(), await movie()];
    await testDb().run(sql(`INSERT INTO watch_history (profile_id, content_id, position_seconds, duration_seconds, completed) VALUES ($1, $2, 61, 120, false), ($1, $3, 118, 120, true)`, [profileId, half.contentId, done.contentId]));
    expect(((await (await play(token, { contentId: half.contentId })).json()) as Session).resumePositionSeconds).toBe(61);
    expect(((await (await play(token, { contentId: done.contentId })).json()) as Session).resumePositionSeconds).toBe(0);
  });

  it('refuses a device that is no longer registered', async () => {
    const viewer = await viewerOn('premium');
    await testDb().run(sql(`UPDATE devices SET revoked_at = now() WHERE user_id = $1`, [viewer.user.id]));
    const body = await expectEnvelope(await play(viewer.accessToken, { contentId: (await movie()).contentId }), 403, 'FORBIDDEN');
    expect(body.error.details.reason).toBe('device_not_registered');
  });

  it('validates the body strictly', async () => {
    const viewer = await viewerOn('premium');
    await expectEnvelope(await play(viewer.accessToken, { contentId: 'nope' }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await play(viewer.accessToken, { contentId: crypto.randomUUID(), maxHeight: 2160 }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await play(viewer.accessToken, { contentId: crypto.randomUUID(), kind: 'bonus' }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await api('/playback', { body: { contentId: crypto.randomUUID() } }), 401, 'UNAUTHORIZED');
  });
});

describe('concurrent streams', () => {
  it('at the limit, lists the active streams; replacing one plays here; stopping frees a slot', async () => {
    const title = await movie();
    const viewer = await viewerOn('basic'); // 1 stream
    const first = (await (await play(viewer.accessToken, { contentId: title.contentId })).json()) as Session;
    const refused = await expectEnvelope(await play(viewer.accessToken, { contentId: title.contentId }), 409, 'CONFLICT');
    expect(refused.error.details).toMatchObject({ reason: 'stream_limit', maxStreams: 1, streams: [{ playbackSessionId: first.playbackSessionId, platform: 'android' }] });
    expect(refused.error.details.streams[0].title).toMatch(/^Title /);

    const here = await play(viewer.accessToken, { contentId: title.contentId, replacePlaybackSessionId: first.playbackSessionId });
    expect(here.status).toBe(201);
    const second = (await here.json()) as Session;
    const listed = (await (await api('/playback/streams', { token: viewer.accessToken })).json()) as { streams: { playbackSessionId: string }[] };
    expect(listed.streams.map((s) => s.playbackSessionId)).toEqual([second.playbackSessionId]);

    expect((await api(`/playback/${second.playbackSessionId}`, { method: 'DELETE', token: viewer.accessToken })).status).toBe(204);
    await expectEnvelope(await api(`/playback/${second.playbackSessionId}`, { method: 'DELETE', token: viewer.accessToken }), 404, 'NOT_FOUND');
    expect((await play(viewer.accessToken, { contentId: title.contentId })).status).toBe(201);
  });

  it('N+3 concurrent mints at a limit of N leave exactly N streams', async () => {
    const title = await movie();
    const viewer = await viewerOn('standard'); // 2 streams
    const results = await Promise.all(Array.from({ length: 5 }, () => play(viewer.accessToken, { contentId: title.contentId })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409]);
    const listed = (await (await api('/playback/streams', { token: viewer.accessToken })).json()) as { streams: unknown[] };
    expect(listed.streams).toHaveLength(2);
  });

  it('another account cannot see or stop my streams', async () => {
    const title = await movie();
    const [me, other] = [await viewerOn('premium'), await viewerOn('premium')];
    const mine = (await (await play(me.accessToken, { contentId: title.contentId })).json()) as Session;
    await expectEnvelope(await api(`/playback/${mine.playbackSessionId}`, { method: 'DELETE', token: other.accessToken }), 404, 'NOT_FOUND');
    expect(((await (await api('/playback/streams', { token: other.accessToken })).json()) as { streams: unknown[] }).streams).toEqual([]);
    // Replacing someone else's stream id makes no room for me and ends nothing of theirs.
    const res = await play(other.accessToken, { contentId: title.contentId, replacePlaybackSessionId: mine.playbackSessionId });
    expect(res.status).toBe(201);
    expect(((await (await api('/playback/streams', { token: me.accessToken })).json()) as { streams: unknown[] }).streams).toHaveLength(1);
  });
});
