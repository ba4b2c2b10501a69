// Watch history for the active profile: heartbeats in, merged reads out
// (buffered positions from Redis over the rows in Postgres), resume rules,
// continue watching with the next episode, and the editing verbs.
import { checkWatchable, clearHistory, getHistoryItem, hideHistoryItem, listHistory, nextEpisodes, setWatched, type HistoryRow, type PendingEntry } from '../../../../db/sql/watch-history.ts';
import type { Db } from '../../../../db/sql/statement.ts';
import type { AuthContext } from '../../middleware/auth.ts';
import { ApiError } from '../../lib/errors.ts';
import type { Redis } from '../../lib/redis.ts';
import { resumeOf, type ResumeState, type ViewingConfig } from '../../lib/viewing-config.ts';
import type { KeysetCursor } from '../../lib/cursor.ts';
import { renewStream } from '../playback/streams.ts';
import { bufferIfChecked, bufferProgress, dropAllBuffered, dropBuffered, itemKey, readBuffered, type Buffered, parseItem } from './progress-buffer.ts';

export interface ViewingDeps {
  db: Db;
  redis: Redis;
  viewing: ViewingConfig;
  leaseSeconds: number;
}

export interface Item {
  contentId: string;
  episodeId: string | null;
}

/** The active profile; history is per profile, so a session without one cannot have any. */
export function profileOf(auth: AuthContext): string {
  if (!auth.profileId) throw new ApiError('CONFLICT', 'Choose a profile first (PUT /auth/session/profile): history and progress are per profile', { details: { reason: 'profile_required' } });
  return auth.profileId;
}

export interface HeartbeatInput {
  contentId: string;
  episodeId?: string;
  positionSeconds: number;
  durationSeconds?: number;
  playbackSessionId?: string;
}

// A title checked once stays checked for an hour per profile: the per-heartbeat
// path is then Redis only. (A title unpublished in that hour keeps receiving
// this profile's progress until the cache entry expires; harmless.)
const CHECKED_SECONDS = 3_600;
const checkedKey = (profileId: string, item: Item) => `hb:ok:${profileId}:${itemKey(item.contentId, item.episodeId)}`;

// Players overshoot a little at the end; anything beyond that is a client bug.
const pastTheEnd = () =>
  new ApiError('VALIDATION_FAILED', 'Invalid request: body.positionSeconds: past the end of the title', {
    details: { issues: [{ path: 'body.positionSeconds', code: 'too_big', message: 'past the end of the title' }] },
  });

export interface CheckedHeartbeat {
  profileId: string;
  item: Item;
  position: number;
  duration: number;
}

/**
 * Everything a heartbeat must pass before it is stored: a profile, a title
 * (and episode) this profile may watch (checked in Postgres once an hour per
 * profile and title, then from Redis), a position within the length, and a
 * live stream lease when it names a playback session.
 */
export async function checkHeartbeat(deps: ViewingDeps, auth: AuthContext, input: HeartbeatInput): Promise<CheckedHeartbeat> {
  const profileId = profileOf(auth);
  const item = { contentId: input.contentId, episodeId: input.episodeId ?? null };
  let duration = input.durationSeconds;
  const cached = (await deps.redis.get(checkedKey(profileId, item))) as number | string | null;
  if (cached === null) {
    const [row] = await deps.db.run(checkWatchable({ ...item, maturityCap: auth.maturityCap }));
    if (!row) throw new ApiError('NOT_FOUND', 'No such title or episode for this profile');
    const known = row.durationSeconds ?? duration ?? 0;
    await deps.redis.set(checkedKey(profileId, item), String(Math.round(known)), { ex: CHECKED_SECONDS });
    duration = row.durationSeconds ?? duration;
  } else if (Number(cached) > 0) {
    duration = Number(cached);
  }
  if (!duration || duration <= 0) throw new ApiError('VALIDATION_FAILED', 'Invalid request: body.durationSeconds: required for a title whose length is unknown', { details: { issues: [{ path: 'body.durationSeconds', code: 'custom', message: 'required' }] } });
  if (input.positionSeconds > duration + 30) throw pastTheEnd();
  const position = Math.min(input.positionSeconds, duration);
  if (input.playbackSessionId) {
    const alive = await renewStream(deps.redis, { userId: auth.userId, playbackSessionId: input.playbackSessionId, leaseSeconds: deps.leaseSeconds });
    if (!alive) throw new ApiError('CONFLICT', 'This stream was stopped (from another device, or it ran out); start playback again', { details: { reason: 'stream_stopped' } });
  }
  return { profileId, item, position, duration };
}

export async function recordHeartbeat(deps: ViewingDeps, auth: AuthContext, input: HeartbeatInput): Promise<{ resumeSeconds: number; state: ResumeState }> {
  // Hot path (a title already checked, no stream to renew): one Redis round trip.
  if (!input.playbackSessionId) {
    const profileId = profileOf(auth);
    const item = { contentId: input.contentId, episodeId: input.episodeId ?? null };
    const duration = await bufferIfChecked(deps.redis, checkedKey(profileId, item), profileId, item, input.positionSeconds, Date.now());
    if (duration !== null) {
      if (input.positionSeconds > duration + 30) throw pastTheEnd();
      return resumeOf(Math.min(input.positionSeconds, duration), duration, deps.viewing);
    }
  }
  const hb = await checkHeartbeat(deps, auth, input);
  await bufferProgress(deps.redis, hb.profileId, hb.item, { position: hb.position, duration: hb.duration, t: Date.now() });
  return resumeOf(hb.position, hb.duration, deps.viewing);
}

export interface HistoryItem extends Item {
  positionSeconds: number;
  durationSeconds: number;
  state: ResumeState;
  resumeSeconds: number;
  watchedAt: string;
}

function toItem(entry: { contentId: string; episodeId: string | null; position: number; duration: number; t: number }, viewing: ViewingConfig): HistoryItem {
  const r = resumeOf(entry.position, entry.duration, viewing);
  return {
    contentId: entry.contentId,
    episodeId: entry.episodeId,
    positionSeconds: entry.position,
    durationSeconds: entry.duration,
    state: r.state,
    resumeSeconds: r.resumeSeconds,
    watchedAt: new Date(entry.t).toISOString(),
  };
}

function pendingOf(map: Map<string, Buffered>): PendingEntry[] {
  return [...map].map(([field, v]) => ({ ...parseItem(field), position: v.position, duration: v.duration, t: v.t }));
}

/**
 * A page of history, newest first, at most `limit` items: positions still in
 * Redis are merged in by the query (over their rows, or as items of their
 * own), so they take their place in the order instead of being added on top.
 * `visibleOnly`: leave out what the profile may not watch now.
 */
export async function historyPage(deps: ViewingDeps, auth: AuthContext, cursor: KeysetCursor | null, limit: number, visibleOnly = false): Promise<{ items: HistoryItem[]; rows: HistoryRow[] }> {
  const profileId = profileOf(auth);
  const pending = pendingOf(await readBuffered(deps.redis, profileId));
  const rows = await deps.db.run(listHistory({ profileId, pending, before: cursor, limit: limit + 1, ...(visibleOnly ? { visible: { cap: auth.maturityCap } } : {}) }));
  return { items: rows.slice(0, limit).map((r) => toItem(r, deps.viewing)), rows };
}

/** The resume point of one title (or episode) for the profile, merged. */
export async function progressOf(deps: ViewingDeps, profileId: string, item: Item): Promise<HistoryItem | null> {
  const [[row], pending] = await Promise.all([deps.db.run(getHistoryItem(profileId, item.contentId, item.episodeId)), readBuffered(deps.redis, profileId)]);
  const b = pending.get(itemKey(item.contentId, item.episodeId));
  const latest = b && (!row || b.t > row.t) ? { ...item, position: b.position, duration: b.duration, t: b.t } : row;
  return latest ? toItem(latest, deps.viewing) : null;
}

/**
 * Continue watching: titles in progress (by the resume rules), newest first;
 * a finished episode is replaced by the next live episode of its series when
 * the profile has not started that one yet; nothing after the last episode.
 * Only what the profile may watch now: a title unpublished, an episode back
 * in draft or a title re-rated above the profile's cap since is not offered.
 */
export async function continueWatching(deps: ViewingDeps, auth: AuthContext, limit: number): Promise<(HistoryItem & { reason: 'resume' | 'next_episode' })[]> {
  const { items } = await historyPage(deps, auth, null, 50, true);
  const seen = new Set(items.map((i) => itemKey(i.contentId, i.episodeId)));
  // A series' first item decides: in progress resumes it; a finished episode
  // offers the one after it. Those are all looked up in one statement.
  const followUp = new Map<string, string>();
  const decided = new Set<string>();
  for (const item of items) {
    if (!item.episodeId || decided.has(item.contentId)) continue;
    if (item.state === 'in_progress') decided.add(item.contentId);
    else if (item.state === 'watched') {
      decided.add(item.contentId);
      followUp.set(item.contentId, item.episodeId);
    }
  }
  const next = new Map<string, string>();
  if (followUp.size > 0) {
    const rows = await deps.db.run(nextEpisodes([...followUp].map(([seriesId, episodeId]) => ({ seriesId, episodeId })), auth.maturityCap));
    for (const r of rows) next.set(r.seriesId, r.episodeId);
  }
  const out: (HistoryItem & { reason: 'resume' | 'next_episode' })[] = [];
  for (const item of items) {
    if (out.length >= limit) break;
    if (item.state === 'in_progress') {
      out.push({ ...item, reason: 'resume' });
    } else if (item.state === 'watched' && item.episodeId && followUp.get(item.contentId) === item.episodeId) {
      const episodeId = next.get(item.contentId);
      if (episodeId && !seen.has(itemKey(item.contentId, episodeId))) {
        out.push({ contentId: item.contentId, episodeId, positionSeconds: 0, durationSeconds: 0, state: 'not_started', resumeSeconds: 0, watchedAt: item.watchedAt, reason: 'next_episode' });
      }
    }
  }
  return out;
}

export async function removeFromHistory(deps: ViewingDeps, auth: AuthContext, item: Item): Promise<void> {
  const profileId = profileOf(auth);
  // Tombstone first: a flush already holding this item's heartbeats then cannot bring it back.
  const [row] = await deps.db.run(hideHistoryItem(profileId, item.contentId, item.episodeId));
  await dropBuffered(deps.redis, profileId, item);
  if (!row) throw new ApiError('NOT_FOUND', 'No such title or episode');
}

export async function clearAllHistory(deps: ViewingDeps, auth: AuthContext): Promise<void> {
  const profileId = profileOf(auth);
  await deps.db.batch(clearHistory(profileId));
  await dropAllBuffered(deps.redis, profileId);
}

export async function markWatched(deps: ViewingDeps, auth: AuthContext, item: Item, watched: boolean): Promise<HistoryItem> {
  const profileId = profileOf(auth);
  const [check] = await deps.db.run(checkWatchable({ ...item, maturityCap: auth.maturityCap }));
  if (!check) throw new ApiError('NOT_FOUND', 'No such title or episode for this profile');
  const existing = await progressOf(deps, profileId, item);
  const duration = Math.max(1, Math.round(check.durationSeconds ?? existing?.durationSeconds ?? 1));
  await deps.db.run(setWatched({ profileId, ...item, watched, durationSeconds: duration }));
  await dropBuffered(deps.redis, profileId, item);
  return (await progressOf(deps, profileId, item))!;
}
