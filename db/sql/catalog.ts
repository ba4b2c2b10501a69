// Catalog reads for viewers (issue 4): browse, detail, home rails. Every query
// applies the shared visibility rule (migration 0013) with the profile's
// maturity cap (null: no profile, everything live), and picks text in the
// asked language with the other one as fallback, per field. Text is returned
// as stored (RTL untouched).
import { sql, type Statement } from './statement.ts';

export interface BrowseInput {
  lang: 'fa' | 'en';
  cap: number | null;
  type: 'movie' | 'series' | null;
  genre: string | null;
  yearFrom: number | null;
  yearTo: number | null;
  /** An audio or subtitle language, or the original language. */
  language: string | null;
  maxMaturity: number | null;
  before: { at: string; id: string } | null;
  limit: number;
}

export interface CatalogCardRow {
  id: string;
  type: 'movie' | 'series';
  slug: string | null;
  year: number | null;
  maturityRating: number;
  originalLanguage: string;
  title: string;
  synopsis: string | null;
  /** The language `title` is in (the fallback when the asked one is missing). */
  titleLang: string;
  images: Record<string, string>;
  genres: string[];
  audioLanguages: string[];
  subtitleLanguages: string[];
  liveSince: string;
  cursorAt: string;
}

const fallback = (lang: 'fa' | 'en') => (lang === 'fa' ? 'en' : 'fa');

// $1 lang, $2 fallback lang, $3 cap; `c` is content.
const CARD_COLUMNS = `c.id, c.type, c.slug, c.year, c.maturity_rating AS "maturityRating", c.original_language AS "originalLanguage",
  COALESCE(t.title, f.title) AS title, COALESCE(t.synopsis, f.synopsis) AS synopsis,
  CASE WHEN t.title IS NULL THEN $2 ELSE $1 END AS "titleLang", c.images,
  COALESCE((SELECT json_agg(g.slug ORDER BY g.sort_order, g.slug) FROM content_genres cg JOIN genres g ON g.id = cg.genre_id WHERE cg.content_id = c.id), '[]') AS genres,
  c.audio_languages AS "audioLanguages", c.subtitle_languages AS "subtitleLanguages",
  catalog_live_since(c.status, c.publish_at, c.published_at) AS "liveSince",
  catalog_live_since(c.status, c.publish_at, c.published_at)::text AS "cursorAt"`;
const CARD_JOINS = `LEFT JOIN content_translations t ON t.content_id = c.id AND t.lang = $1
  LEFT JOIN content_translations f ON f.content_id = c.id AND f.lang = $2`;

/** Newest first (by when each title went live), keyset on (live since, id). */
export function browseCatalog(input: BrowseInput): Statement<CatalogCardRow> {
  return sql(
    `SELECT ${CARD_COLUMNS}
     FROM content c ${CARD_JOINS}
     WHERE catalog_is_visible(c.status, c.publish_at, c.maturity_rating, $3::smallint)
       AND ($4::text IS NULL OR c.type = $4)
       AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM content_genres cg JOIN genres g ON g.id = cg.genre_id WHERE cg.content_id = c.id AND g.slug = $5))
       AND ($6::int IS NULL OR c.year >= $6) AND ($7::int IS NULL OR c.year <= $7)
       AND ($8::text IS NULL OR c.original_language = $8 OR $8 = ANY (c.audio_languages) OR $8 = ANY (c.subtitle_languages))
       AND ($9::int IS NULL OR c.maturity_rating <= $9)
       AND ($10::timestamptz IS NULL OR (catalog_live_since(c.status, c.publish_at, c.published_at), c.id) < ($10::timestamptz, $11::uuid))
     ORDER BY catalog_live_since(c.status, c.publish_at, c.published_at) DESC, c.id DESC
     LIMIT $12`,
    [input.lang, fallback(input.lang), input.cap, input.type, input.genre, input.yearFrom, input.yearTo, input.language, input.maxMaturity, input.before?.at ?? null, input.before?.id ?? null, input.limit],
  );
}

export interface ContentDetailRow extends CatalogCardRow {
  tagline: string | null;
  genreNames: { slug: string; name: string }[];
  credits: { personId: string; name: string; role: string; character: string | null }[];
  seasons: { number: number; year: number | null; episodes: { id: string; number: number; title: string; synopsis: string | null; playable: boolean }[] }[];
  playable: boolean;
  hasTrailer: boolean;
}

/** GET /catalog/{idOrSlug} reads this as a title id, anything else as a slug (so no slug may look like this). */
export function readsAsContentId(idOrSlug: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
}

/** One visible title by id or slug, with genres, credits, seasons and live episodes. */
export function getContentDetail(input: { idOrSlug: string; lang: 'fa' | 'en'; cap: number | null }): Statement<ContentDetailRow> {
  const isId = readsAsContentId(input.idOrSlug);
  return sql(
    `SELECT ${CARD_COLUMNS}, COALESCE(t.tagline, f.tagline) AS tagline,
       COALESCE((SELECT json_agg(json_build_object('slug', g.slug, 'name', CASE WHEN $1 = 'fa' THEN g.name_fa ELSE g.name_en END) ORDER BY g.sort_order, g.slug)
                 FROM content_genres cg JOIN genres g ON g.id = cg.genre_id WHERE cg.content_id = c.id), '[]') AS "genreNames",
       COALESCE((SELECT json_agg(json_build_object('personId', p.id,
                   'name', CASE WHEN $1 = 'fa' THEN COALESCE(p.name_fa, p.name_en) ELSE COALESCE(p.name_en, p.name_fa) END,
                   'role', cr.role,
                   'character', CASE WHEN $1 = 'fa' THEN COALESCE(cr.character_name_fa, cr.character_name_en) ELSE COALESCE(cr.character_name_en, cr.character_name_fa) END)
                 ORDER BY cr.billing_order, p.id)
                 FROM content_credits cr JOIN people p ON p.id = cr.person_id WHERE cr.content_id = c.id), '[]') AS credits,
       COALESCE((SELECT json_agg(json_build_object('number', s.season_number, 'year', s.year, 'episodes',
                   COALESCE((SELECT json_agg(json_build_object('id', e.id, 'number', e.episode_number,
                              'title', COALESCE(et.title, ef.title), 'synopsis', COALESCE(et.synopsis, ef.synopsis),
                              'playable', EXISTS (SELECT 1 FROM video_assets va WHERE va.episode_id = e.id AND (va.published_version IS NOT NULL OR va.status IN ('playable', 'ready'))))
                              ORDER BY e.episode_number)
                             FROM episodes e
                             LEFT JOIN episode_translations et ON et.episode_id = e.id AND et.lang = $1
                             LEFT JOIN episode_translations ef ON ef.episode_id = e.id AND ef.lang = $2
                             WHERE e.season_id = s.id AND catalog_is_live(e.status, e.publish_at)), '[]'))
                 ORDER BY s.season_number)
                 FROM seasons s WHERE s.series_id = c.id), '[]') AS seasons,
       EXISTS (SELECT 1 FROM video_assets va WHERE va.movie_id = c.id AND (va.published_version IS NOT NULL OR va.status IN ('playable', 'ready'))) AS playable,
       EXISTS (SELECT 1 FROM video_assets va WHERE va.trailer_of_content_id = c.id AND va.published_version IS NOT NULL) AS "hasTrailer"
     FROM content c ${CARD_JOINS}
     WHERE ${isId ? 'c.id = $4::uuid' : 'c.slug = $4'}
       AND catalog_is_visible(c.status, c.publish_at, c.maturity_rating, $3::smallint)`,
    [input.lang, fallback(input.lang), input.cap, input.idOrSlug],
  );
}

/** Most watched this week: titles by how many profiles watched them in the last 7 days. */
export function mostWatchedThisWeek(input: { lang: 'fa' | 'en'; cap: number | null; limit: number }): Statement<CatalogCardRow & { viewers: number }> {
  return sql(
    `WITH watched AS (
       SELECT content_id, count(DISTINCT profile_id)::int AS viewers FROM watch_history
       WHERE watched_at > now() - interval '7 days' AND hidden_at IS NULL
       GROUP BY content_id
     )
     SELECT ${CARD_COLUMNS}, w.viewers
     FROM watched w JOIN content c ON c.id = w.content_id ${CARD_JOINS}
     WHERE catalog_is_visible(c.status, c.publish_at, c.maturity_rating, $3::smallint)
     ORDER BY w.viewers DESC, c.id
     LIMIT $4`,
    [input.lang, fallback(input.lang), input.cap, input.limit],
  );
}

export function listGenres(lang: 'fa' | 'en'): Statement<{ slug: string; name: string }> {
  return sql(`SELECT slug, CASE WHEN $1 = 'fa' THEN name_fa ELSE name_en END AS name FROM genres ORDER BY sort_order, slug`, [lang]);
}

/**
 * The next moment something scheduled goes live (title or episode): cached
 * catalog reads must expire by then, so it appears on time without a deploy.
 */
export function nextScheduledPublish(): Statement<{ inMs: number | null }> {
  return sql(
    `SELECT (extract(epoch FROM least(
               (SELECT min(publish_at) FROM content WHERE status = 'scheduled' AND publish_at > now()),
               (SELECT min(publish_at) FROM episodes WHERE status = 'scheduled' AND publish_at > now())) - now()) * 1000)::float8 AS "inMs"`,
  );
}
