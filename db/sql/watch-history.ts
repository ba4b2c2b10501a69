// Watch history (issue 4): the SQL side of buffered progress heartbeats.
// Positions live in Redis first (edge/src/services/viewing/progress-buffer.ts)
// and reach watch_history through flushProgress, one statement per flush.
import { sql, type Statement } from './statement.ts';

/** One buffered position, as the flush sends it. t = when the player reported it (ms). */
export interface ProgressEntry {
  profileId: string;
  contentId: string;
  episodeId: string | null;
  position: number;
  duration: number;
  t: number;
}

/**
 * Upserts every entry in ONE statement. An entry only moves a row forward
 * (newer watched_at), never revives an item removed or a history cleared after
 * it was reported, and entries whose title, episode or profile no longer
 * exist are dropped (not failed: one deleted title must not block the flush
 * of everybody else). Positions and lengths come fractional (a player's
 * currentTime, a video's probed length) and are stored in whole seconds:
 * one such entry must not fail the statement, or the whole batch would be
 * retried, and fail, forever. `completeRatio`: at or past it the item counts watched.
 */
export function flushProgress(entries: readonly ProgressEntry[], completeRatio: number): Statement<{ written: number }> {
  return sql(
    `WITH incoming AS (
       SELECT r.*, to_timestamp(r.t / 1000.0) AS at
       FROM jsonb_to_recordset($1::jsonb) AS r ("profileId" uuid, "contentId" uuid, "episodeId" uuid, position float8, duration float8, t bigint)
       WHERE r.duration > 0
         AND EXISTS (SELECT 1 FROM profiles p WHERE p.id = r."profileId")
         AND EXISTS (SELECT 1 FROM content c WHERE c.id = r."contentId")
         AND (r."episodeId" IS NULL OR EXISTS (SELECT 1 FROM episodes e WHERE e.id = r."episodeId" AND e.series_id = r."contentId"))
         AND to_timestamp(r.t / 1000.0) > COALESCE((SELECT cleared_at FROM watch_history_clears w WHERE w.profile_id = r."profileId"), '-infinity')
     ), written AS (
       INSERT INTO watch_history AS h (profile_id, content_id, episode_id, position_seconds, duration_seconds, completed, watched_at)
       SELECT "profileId", "contentId", "episodeId", LEAST(round(GREATEST(position, 0)), GREATEST(round(duration), 1))::int, GREATEST(round(duration), 1)::int,
              position >= duration * $2::float8, at
       FROM incoming
       ON CONFLICT ON CONSTRAINT watch_history_item_unique DO UPDATE
         SET position_seconds = EXCLUDED.position_seconds, duration_seconds = EXCLUDED.duration_seconds,
             completed = EXCLUDED.completed, watched_at = EXCLUDED.watched_at, hidden_at = NULL
         WHERE h.watched_at < EXCLUDED.watched_at AND (h.hidden_at IS NULL OR h.hidden_at < EXCLUDED.watched_at)
       RETURNING 1
     )
     SELECT count(*)::int AS written FROM written`,
    [JSON.stringify(entries), completeRatio],
  );
}

export interface HistoryRow {
  id: string;
  contentId: string;
  episodeId: string | null;
  position: number;
  duration: number;
  /** watched_at as ms, comparable with buffered entries. */
  t: number;
  cursorAt: string;
}

const HISTORY_COLUMNS = `h.id, h.content_id AS "contentId", h.episode_id AS "episodeId", h.position_seconds AS position,
  h.duration_seconds AS duration, (extract(epoch FROM h.watched_at) * 1000)::float8 AS t, h.watched_at::text AS "cursorAt"`;

/** A position not yet flushed, as the history read passes it in. */
export interface PendingEntry {
  contentId: string;
  episodeId: string | null;
  position: number;
  duration: number;
  t: number;
}

// The item (content, episode) is visible to a profile with cap $7, when $6 asks for it.
const visibleTo = (contentId: string, episodeId: string) => `(NOT $6::boolean OR EXISTS (
    SELECT 1 FROM content c WHERE c.id = ${contentId} AND catalog_is_visible(c.status, c.publish_at, c.maturity_rating, $7::smallint)
      AND (${episodeId} IS NULL OR EXISTS (SELECT 1 FROM episodes e WHERE e.id = ${episodeId} AND catalog_is_live(e.status, e.publish_at)))))`;

/**
 * A page of a profile's history, newest first, with the positions still in
 * Redis (`pending`) merged in, so a page holds at most `limit` items and
 * every item lands on exactly one page. An item's place is the newer of its
 * row and its pending position, keyed (watched_at, item id): the episode id,
 * else the title id, unique within a profile and the same before and after
 * the flush writes the row, so a flush between two pages moves nothing. As
 * the flush, a pending position from before a removal or a clear is not
 * history. `visible`: only what the profile may watch now
 * (catalog_is_visible under `cap`, the episode live).
 */
export function listHistory(input: { profileId: string; pending: readonly PendingEntry[]; before: { at: string; id: string } | null; limit: number; visible?: { cap: number | null } }): Statement<HistoryRow> {
  return sql(
    `WITH buffered AS (
       SELECT b."contentId", b."episodeId", b.position, b.duration, to_timestamp(b.t / 1000.0) AS at
       FROM jsonb_to_recordset($2::jsonb) AS b ("contentId" uuid, "episodeId" uuid, position float8, duration float8, t bigint)
     ), pending AS (
       SELECT COALESCE(b."episodeId", b."contentId") AS id, b."contentId", b."episodeId",
              CASE WHEN h.hidden_at IS NULL AND h.watched_at > b.at THEN h.position_seconds ELSE b.position END::float8 AS position,
              CASE WHEN h.hidden_at IS NULL AND h.watched_at > b.at THEN h.duration_seconds ELSE b.duration END::float8 AS duration,
              CASE WHEN h.hidden_at IS NULL THEN GREATEST(h.watched_at, b.at) ELSE b.at END AS at
       FROM buffered b
       LEFT JOIN watch_history h ON h.profile_id = $1::uuid AND h.content_id = b."contentId" AND h.episode_id IS NOT DISTINCT FROM b."episodeId"
       WHERE b.at > COALESCE(h.hidden_at, '-infinity')
         AND b.at > COALESCE((SELECT cleared_at FROM watch_history_clears w WHERE w.profile_id = $1::uuid), '-infinity')
     ), stored AS (
       SELECT COALESCE(h.episode_id, h.content_id) AS id, h.content_id AS "contentId", h.episode_id AS "episodeId",
              h.position_seconds::float8 AS position, h.duration_seconds::float8 AS duration, h.watched_at AS at
       FROM watch_history h
       WHERE h.profile_id = $1::uuid AND h.hidden_at IS NULL
         -- The plain bound lets the (profile_id, watched_at) index seek; the row comparison settles ties.
         AND ($3::timestamptz IS NULL OR (h.watched_at <= $3::timestamptz AND (h.watched_at, COALESCE(h.episode_id, h.content_id)) < ($3::timestamptz, $4::uuid)))
         AND NOT EXISTS (SELECT 1 FROM pending p WHERE p."contentId" = h.content_id AND p."episodeId" IS NOT DISTINCT FROM h.episode_id)
         AND ${visibleTo('h.content_id', 'h.episode_id')}
       ORDER BY h.watched_at DESC, COALESCE(h.episode_id, h.content_id) DESC
       LIMIT $5
     )
     SELECT x.id, x."contentId", x."episodeId", x.position, x.duration, (extract(epoch FROM x.at) * 1000)::float8 AS t, x.at::text AS "cursorAt"
     FROM (
       SELECT * FROM stored
       UNION ALL
       SELECT * FROM pending p
       WHERE ($3::timestamptz IS NULL OR (p.at, p.id) < ($3::timestamptz, $4::uuid)) AND ${visibleTo('p."contentId"', 'p."episodeId"')}
     ) x
     ORDER BY x.at DESC, x.id DESC
     LIMIT $5`,
    [input.profileId, JSON.stringify(input.pending), input.before?.at ?? null, input.before?.id ?? null, input.limit, input.visible !== undefined, input.visible?.cap ?? null],
  );
}

export function getHistoryItem(profileId: string, contentId: string, episodeId: string | null): Statement<HistoryRow> {
  return sql(
    `SELECT ${HISTORY_COLUMNS} FROM watch_history h
     WHERE h.profile_id = $1::uuid AND h.content_id = $2::uuid AND h.episode_id IS NOT DISTINCT FROM $3::uuid AND h.hidden_at IS NULL`,
    [profileId, contentId, episodeId],
  );
}

/**
 * What a heartbeat may refer to: the title visible to this profile (and the
 * episode live and in that series), with the duration of the video that
 * plays. No row otherwise.
 */
export function checkWatchable(input: { contentId: string; episodeId: string | null; maturityCap: number | null }): Statement<{ durationSeconds: number | null }> {
  return sql(
    `SELECT (SELECT v.duration_seconds::float8 FROM video_assets va JOIN video_asset_versions v ON v.asset_id = va.id AND v.version = va.published_version
             WHERE (c.type = 'movie' AND va.movie_id = c.id) OR (c.type = 'series' AND va.episode_id = $2::uuid)) AS "durationSeconds"
     FROM content c
     WHERE c.id = $1::uuid AND catalog_is_visible(c.status, c.publish_at, c.maturity_rating, $3::smallint)
       AND CASE WHEN c.type = 'movie' THEN $2::uuid IS NULL
                ELSE EXISTS (SELECT 1 FROM episodes e WHERE e.id = $2::uuid AND e.series_id = c.id AND catalog_is_live(e.status, e.publish_at)) END`,
    [input.contentId, input.episodeId, input.maturityCap],
  );
}

/** Remove one item: a tombstone (older buffered heartbeats cannot bring it back). */
export function hideHistoryItem(profileId: string, contentId: string, episodeId: string | null): Statement<{ id: string }> {
  return sql(
    `INSERT INTO watch_history AS h (profile_id, content_id, episode_id, position_seconds, duration_seconds, watched_at, hidden_at)
     SELECT $1::uuid, $2::uuid, $3::uuid, 0, 1, '-infinity', now()
     WHERE EXISTS (SELECT 1 FROM content WHERE id = $2::uuid)
       AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM episodes WHERE id = $3::uuid AND series_id = $2::uuid))
     ON CONFLICT ON CONSTRAINT watch_history_item_unique DO UPDATE SET hidden_at = now()
     RETURNING h.id`,
    [profileId, contentId, episodeId],
  );
}

/** Clear history: every item hidden, and buffered heartbeats from before now dropped by the flush. */
export function clearHistory(profileId: string): Statement[] {
  return [
    sql(
      `INSERT INTO watch_history_clears (profile_id, cleared_at) VALUES ($1::uuid, now())
       ON CONFLICT (profile_id) DO UPDATE SET cleared_at = now()`,
      [profileId],
    ),
    sql(`UPDATE watch_history SET hidden_at = now() WHERE profile_id = $1::uuid AND hidden_at IS NULL`, [profileId]),
  ];
}

/** Mark watched (completed, at the end) or unwatched (back to the start), as of now. */
export function setWatched(input: { profileId: string; contentId: string; episodeId: string | null; watched: boolean; durationSeconds: number }): Statement<{ id: string }> {
  return sql(
    `INSERT INTO watch_history AS h (profile_id, content_id, episode_id, position_seconds, duration_seconds, completed, watched_at)
     VALUES ($1::uuid, $2::uuid, $3::uuid, CASE WHEN $4 THEN $5::int ELSE 0 END, $5::int, $4, now())
     ON CONFLICT ON CONSTRAINT watch_history_item_unique DO UPDATE
       SET position_seconds = CASE WHEN $4 THEN h.duration_seconds ELSE 0 END, completed = $4, watched_at = now(), hidden_at = NULL
     RETURNING h.id`,
    [input.profileId, input.contentId, input.episodeId, input.watched, input.durationSeconds],
  );
}

export interface NextEpisodeRow {
  seriesId: string;
  /** The live episode after the given one (by season, then episode number). */
  episodeId: string;
  seasonNumber: number;
  episodeNumber: number;
}

/**
 * For each (series, finished episode) pair, the live episode after it; none
 * after the last, nor when the series is not visible under `cap`. One
 * statement for the whole "continue watching" list instead of one per series.
 */
export function nextEpisodes(after: readonly { seriesId: string; episodeId: string }[], cap: number | null): Statement<NextEpisodeRow> {
  return sql(
    `WITH cur AS (
       SELECT x.series_id, s.season_number, e.episode_number
       FROM unnest($1::uuid[], $2::uuid[]) AS x (series_id, episode_id)
       JOIN episodes e ON e.id = x.episode_id AND e.series_id = x.series_id
       JOIN seasons s ON s.id = e.season_id
       WHERE EXISTS (SELECT 1 FROM content c WHERE c.id = x.series_id AND catalog_is_visible(c.status, c.publish_at, c.maturity_rating, $3::smallint))
     )
     SELECT cur.series_id AS "seriesId", n.id AS "episodeId", n.season_number AS "seasonNumber", n.episode_number AS "episodeNumber"
     FROM cur
     JOIN LATERAL (
       SELECT e.id, s.season_number, e.episode_number
       FROM episodes e JOIN seasons s ON s.id = e.season_id
       WHERE e.series_id = cur.series_id AND catalog_is_live(e.status, e.publish_at)
         AND (s.season_number, e.episode_number) > (cur.season_number, cur.episode_number)
       ORDER BY s.season_number, e.episode_number
       LIMIT 1
     ) n ON true`,
    [after.map((a) => a.seriesId), after.map((a) => a.episodeId), cap],
  );
}
