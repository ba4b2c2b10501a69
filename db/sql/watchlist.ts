// A profile's watchlist (issue 4): idempotent add and remove, newest first.
import { sql, type Statement } from './statement.ts';

/** Adds a title the profile may see; a second add keeps the first added_at. No row when the title is not visible. */
export function addToWatchlist(input: { profileId: string; contentId: string; cap: number | null }): Statement<{ addedAt: Date }> {
  return sql(
    `WITH ok AS (
       SELECT c.id FROM content c WHERE c.id = $2::uuid AND catalog_is_visible(c.status, c.publish_at, c.maturity_rating, $3::smallint)
     ), added AS (
       INSERT INTO watchlist (profile_id, content_id) SELECT $1::uuid, id FROM ok
       ON CONFLICT (profile_id, content_id) DO NOTHING
       RETURNING added_at
     )
     SELECT added_at AS "addedAt" FROM added
     UNION ALL
     SELECT w.added_at FROM watchlist w, ok WHERE w.profile_id = $1::uuid AND w.content_id = ok.id AND NOT EXISTS (SELECT 1 FROM added)`,
    [input.profileId, input.contentId, input.cap],
  );
}

export function removeFromWatchlist(profileId: string, contentId: string): Statement<{ contentId: string }> {
  return sql(`DELETE FROM watchlist WHERE profile_id = $1::uuid AND content_id = $2::uuid RETURNING content_id AS "contentId"`, [profileId, contentId]);
}

export interface WatchlistRow {
  id: string;
  type: string;
  title: string;
  addedAt: Date;
  /** Live now (a title unpublished since stays listed, flagged). */
  available: boolean;
  /** Has a video that plays. */
  playable: boolean;
  cursorAt: string;
}

/**
 * A page of the watchlist, newest first. A title re-rated above the profile's
 * cap since it was added is left out, not flagged: its name (and that it
 * exists) must not reach a kids profile. It comes back if the rating does.
 */
export function listWatchlist(input: { profileId: string; cap: number | null; lang: 'fa' | 'en'; before: { at: string; id: string } | null; limit: number }): Statement<WatchlistRow> {
  return sql(
    `SELECT c.id, c.type, COALESCE(t.title, o.title) AS title, w.added_at AS "addedAt", w.added_at::text AS "cursorAt",
            catalog_is_visible(c.status, c.publish_at, c.maturity_rating, $2::smallint) AS available,
            EXISTS (SELECT 1 FROM video_assets va
                    WHERE (va.movie_id = c.id OR va.episode_id IN (SELECT id FROM episodes e WHERE e.series_id = c.id))
                      AND (va.published_version IS NOT NULL OR va.status IN ('playable', 'ready'))) AS playable
     FROM watchlist w JOIN content c ON c.id = w.content_id
     LEFT JOIN content_translations t ON t.content_id = c.id AND t.lang = $3
     LEFT JOIN content_translations o ON o.content_id = c.id AND o.lang = $4
     WHERE w.profile_id = $1::uuid AND ($2::smallint IS NULL OR c.maturity_rating <= $2::smallint)
       AND ($5::timestamptz IS NULL OR (w.added_at, w.content_id) < ($5::timestamptz, $6::uuid))
     ORDER BY w.added_at DESC, w.content_id DESC
     LIMIT $7`,
    [input.profileId, input.cap, input.lang, input.lang === 'fa' ? 'en' : 'fa', input.before?.at ?? null, input.before?.id ?? null, input.limit],
  );
}
