// POST /playback: decides who may watch what, on how many screens, at what
// quality, and hands back tokenized URLs. One database round trip
// (db/sql/playback.ts lookupPlayback) and one Redis script (the stream lease).
import { lookupPlayback, type PlaybackKind, type PlaybackLookupRow } from '../../../../db/sql/playback.ts';
import type { Db } from '../../../../db/sql/statement.ts';
import type { AuthContext } from '../../middleware/auth.ts';
import { ApiError } from '../../lib/errors.ts';
import type { PlaybackConfig } from '../../lib/playback/config.ts';
import { mediaKeysFor, signMediaToken } from '../../lib/playback/media-token.ts';
import type { Redis } from '../../lib/redis.ts';
import { resumeOf, type ViewingConfig } from '../../lib/viewing-config.ts';
import { itemKey, readBuffered } from '../viewing/progress-buffer.ts';
import { acquireStream } from './streams.ts';

export interface MintInput {
  contentId: string;
  episodeId?: string;
  kind: PlaybackKind;
  /** "Stop that stream and play here": a playback session of this account to end first. */
  replacePlaybackSessionId?: string;
}

export interface PlaybackSession {
  playbackSessionId: string;
  assetId: string;
  version: number;
  expiresAt: string;
  maxHeight: number;
  hls: string;
  dash: string;
  poster: string | null;
  storyboard: string | null;
  durationSeconds: number | null;
  /** In the manifests too; listed for players that render subtitles themselves. */
  subtitles: { lang: string; label: string | null; kind: string; isDefault: boolean; hls: string }[];
  resumePositionSeconds: number;
  /** For a protected asset: where EME players get Clear Key licenses (the key id is in the media). */
  drm: { protected: boolean; clearKeyLicenseUrl?: string };
}

export interface MintDeps {
  db: Db;
  redis: Redis;
  playback: PlaybackConfig;
  /** Where /media is served from: MEDIA_BASE_URL, or this API's origin. */
  mediaBase: string;
  viewing: ViewingConfig;
}

export async function mintPlayback(deps: MintDeps, auth: AuthContext, input: MintInput): Promise<PlaybackSession> {
  const preview = auth.role === 'editor' || auth.role === 'admin';
  const [row] = await deps.db.run(
    lookupPlayback({
      userId: auth.userId,
      sessionId: auth.sessionId,
      profileId: auth.profileId,
      maturityCap: auth.maturityCap,
      tier: auth.tier,
      preview,
      contentId: input.contentId,
      episodeId: input.episodeId ?? null,
      kind: input.kind,
    }),
  );
  // Hidden and missing look the same: a kids profile learns nothing about adult titles.
  if (!row || !row.visible) throw new ApiError('NOT_FOUND', 'No such title');
  if (row.contentType === 'series' && input.kind === 'main' && !input.episodeId) {
    throw new ApiError('VALIDATION_FAILED', 'Invalid request: body.episodeId: required to play a series', {
      details: { issues: [{ path: 'body.episodeId', code: 'custom', message: 'required to play a series' }] },
    });
  }
  if (!row.episodeFound) throw new ApiError('NOT_FOUND', 'No such episode');
  if (!row.deviceLive) throw new ApiError('FORBIDDEN', 'This device is not registered on the account; sign in again', { details: { reason: 'device_not_registered' } });
  // Trailers are free; everything else needs a paid plan (the tier in the token, read at sign-in or refresh).
  if (input.kind === 'main' && auth.tier === 'free' && !preview) {
    throw new ApiError('FORBIDDEN', 'Your plan does not include this title; subscribe to watch it', { details: { reason: 'subscription_required', tier: auth.tier } });
  }
  if (!row.assetId || row.version === null) throw new ApiError('CONFLICT', 'This title cannot be played yet', { details: { reason: 'not_available' } });

  const playbackSessionId = crypto.randomUUID();
  const lease = await acquireStream(deps.redis, {
    userId: auth.userId,
    playbackSessionId,
    limit: row.maxStreams,
    leaseSeconds: deps.playback.leaseSeconds,
    info: { deviceName: row.deviceName, platform: row.devicePlatform, title: row.titleEn ?? row.titleFa, startedAt: new Date().toISOString() },
    replace: input.replacePlaybackSessionId,
  });
  if (!lease.ok) {
    throw new ApiError('CONFLICT', `Your plan allows ${row.maxStreams} stream(s) at once; stop one (replacePlaybackSessionId) to play here`, {
      details: { reason: 'stream_limit', maxStreams: row.maxStreams, streams: lease.active },
    });
  }
  // The resume point: a buffered heartbeat (not flushed yet) is newer than the row.
  let resume = 0;
  if (input.kind === 'main' && auth.profileId) {
    const buffered = (await readBuffered(deps.redis, auth.profileId)).get(itemKey(input.contentId, input.episodeId ?? null));
    const position = buffered?.position ?? row.resumeSeconds;
    const duration = buffered?.duration ?? row.durationSeconds;
    if (position !== null && duration) resume = resumeOf(position, duration, deps.viewing).resumeSeconds;
  }
  return session(deps, auth, input.kind, row, playbackSessionId, resume);
}

async function session(deps: MintDeps, auth: AuthContext, kind: PlaybackKind, row: PlaybackLookupRow, playbackSessionId: string, resume: number): Promise<PlaybackSession> {
  const now = Math.floor(Date.now() / 1000);
  const ttl = kind === 'trailer' ? deps.playback.ttlSeconds.trailer : row.contentType === 'movie' ? deps.playback.ttlSeconds.movie : deps.playback.ttlSeconds.episode;
  const keys = await mediaKeysFor(deps.playback.tokenKeysSource, deps.playback.tokenKeys);
  const grant = {
    assetId: row.assetId!,
    version: row.version!,
    playbackSessionId,
    userId: auth.userId,
    maxHeight: row.maxVideoHeight,
    final: row.final,
    notBefore: now,
    expiresAt: now + ttl,
  };
  const base = `${deps.mediaBase}/media/${await signMediaToken(keys, grant)}/${grant.assetId}/`;
  // Stored keys are full object keys; players get them relative to the token path.
  const url = (key: string | null) => (key && row.storagePrefix && key.startsWith(row.storagePrefix) ? base + key.slice(row.storagePrefix.length) : null);
  return {
    playbackSessionId,
    assetId: grant.assetId,
    version: grant.version,
    expiresAt: new Date(grant.expiresAt * 1000).toISOString(),
    maxHeight: grant.maxHeight,
    hls: url(row.hlsManifestKey) ?? `${base}master.m3u8`,
    dash: url(row.dashManifestKey) ?? `${base}manifest.mpd`,
    poster: url(row.posterKey),
    storyboard: url(row.storyboardKey),
    durationSeconds: row.durationSeconds,
    // The packager's layout (origin-worker/src/media/package.ts textDir).
    subtitles: (row.subtitles ?? []).map((s) => ({ ...s, hls: `${base}text/${s.kind === 'subtitles' ? s.lang : `${s.lang}-${s.kind}`}/playlist.m3u8` })),
    resumePositionSeconds: resume,
    drm: row.drmProtected ? { protected: true, clearKeyLicenseUrl: `${base}license/clearkey` } : { protected: false },
  };
}
