// Catalog search (issue 4) on Postgres: full text plus trigrams over titles in
// both languages, original titles and cast names, through the one normalisation every search
// column uses (normalize_search_text: accents off, Persian letters folded,
// lower case). "spider man", "spiderman", "Spider-Man" and "spidr man" meet:
// trigrams ignore punctuation and tolerate a typo; full text splits
// hyphenated words. Only titles visible to the profile ever appear, in
// results and in facet counts.
import { sql, type Statement } from './statement.ts';

export interface SearchFilters {
  type: 'movie' | 'series' | null;
  genre: string | null;
  yearFrom: number | null;
  yearTo: number | null;
  language: string | null;
}

/** A LIKE pattern that matches `expr` literally: a query of "%" or "_" is text, not a wildcard (backslash is LIKE's default escape). */
const likeSafe = (expr: string) => `replace(replace(replace(${expr}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')`;

// $1 query text, $2 cap, $3 type, $4 genre, $5 yearFrom, $6 yearTo, $7 language.
const MATCHES = `
  q AS (SELECT normalize_search_text($1) AS t, ${likeSafe('normalize_search_text($1)')} AS lk, plainto_tsquery('simple', normalize_search_text($1)) AS ts),
  visible AS (
    SELECT c.* FROM content c
    WHERE catalog_is_visible(c.status, c.publish_at, c.maturity_rating, $2::smallint)
      AND ($3::text IS NULL OR c.type = $3)
      AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM content_genres cg JOIN genres g ON g.id = cg.genre_id WHERE cg.content_id = c.id AND g.slug = $4))
      AND ($5::int IS NULL OR c.year >= $5) AND ($6::int IS NULL OR c.year <= $6)
      AND ($7::text IS NULL OR c.original_language = $7 OR $7 = ANY (c.audio_languages) OR $7 = ANY (c.subtitle_languages))
  ),
  by_title AS (
    SELECT tr.content_id,
           CASE WHEN tr.title_search = q.t THEN 3 WHEN tr.title_search LIKE q.lk || '%' THEN 2 ELSE 0 END
           + ts_rank(tr.search_vector, q.ts) + similarity(tr.title_search, q.t) AS score
    FROM content_translations tr, q
    WHERE tr.content_id IN (SELECT id FROM visible)
      AND (tr.title_search % q.t OR q.t <% tr.title_search OR tr.title_search LIKE q.lk || '%' OR tr.search_vector @@ q.ts)
  ),
  -- The name a title was released under ("Amélie" as "Le Fabuleux Destin
  -- d'Amélie Poulain"): matched like a title, but full text does not apply
  -- (no tsvector for it), so its words are matched by word similarity.
  by_original AS (
    SELECT v.id AS content_id,
           CASE WHEN v.original_title_search = q.t THEN 3 WHEN v.original_title_search LIKE q.lk || '%' THEN 2 ELSE 0 END
           + greatest(similarity(v.original_title_search, q.t), word_similarity(q.t, v.original_title_search)) AS score
    FROM visible v, q
    WHERE v.original_title_search IS NOT NULL
      AND (v.original_title_search % q.t OR q.t <% v.original_title_search OR v.original_title_search LIKE q.lk || '%')
  ),
  by_cast AS (
    SELECT cr.content_id, 0.5 * word_similarity(q.t, p.name_search) AS score
    FROM people p JOIN content_credits cr ON cr.person_id = p.id, q
    WHERE cr.content_id IN (SELECT id FROM visible) AND (q.t <% p.name_search OR p.name_search % q.t)
  ),
  matched AS (
    SELECT content_id AS id, max(score) AS score FROM (SELECT * FROM by_title UNION ALL SELECT * FROM by_original UNION ALL SELECT * FROM by_cast) s GROUP BY content_id
  )`;

export interface SearchHitRow {
  id: string;
  type: 'movie' | 'series';
  slug: string | null;
  year: number | null;
  maturityRating: number;
  title: string;
  titleLang: string;
  images: Record<string, string>;
  score: number;
}

export function searchCatalog(input: { q: string; lang: 'fa' | 'en'; cap: number | null; filters: SearchFilters; offset: number; limit: number }): Statement<SearchHitRow> {
  const f = input.filters;
  return sql(
    `WITH ${MATCHES}
     SELECT c.id, c.type, c.slug, c.year, c.maturity_rating AS "maturityRating",
            COALESCE(t.title, o.title) AS title, CASE WHEN t.title IS NULL THEN $9 ELSE $8 END AS "titleLang", c.images,
            m.score::float8 AS score
     FROM matched m JOIN content c ON c.id = m.id
     LEFT JOIN content_translations t ON t.content_id = c.id AND t.lang = $8
     LEFT JOIN content_translations o ON o.content_id = c.id AND o.lang = $9
     ORDER BY m.score DESC, c.id
     OFFSET $10 LIMIT $11`,
    [input.q, input.cap, f.type, f.genre, f.yearFrom, f.yearTo, f.language, input.lang, input.lang === 'fa' ? 'en' : 'fa', input.offset, input.limit],
  );
}

export interface FacetRow {
  facet: 'genre' | 'year' | 'type' | 'language';
  value: string;
  count: number;
}

/**
 * Counts over the same filtered match set, each what that filter would
 * return: a title counts once under every language it can be watched in
 * (original, audio or subtitles), as the language filter matches. Every
 * match has one type, so the type counts add up to the total.
 */
export function searchFacets(input: { q: string; cap: number | null; filters: SearchFilters }): Statement<FacetRow> {
  const f = input.filters;
  return sql(
    `WITH ${MATCHES}
     SELECT 'genre' AS facet, g.slug AS value, count(*)::int AS count
       FROM matched m JOIN content_genres cg ON cg.content_id = m.id JOIN genres g ON g.id = cg.genre_id GROUP BY g.slug
     UNION ALL
     SELECT 'year', c.year::text, count(*)::int FROM matched m JOIN content c ON c.id = m.id WHERE c.year IS NOT NULL GROUP BY c.year
     UNION ALL
     SELECT 'type', c.type, count(*)::int FROM matched m JOIN content c ON c.id = m.id GROUP BY c.type
     UNION ALL
     SELECT 'language', l.lang, count(*)::int FROM matched m JOIN content c ON c.id = m.id,
       LATERAL (SELECT DISTINCT unnest(ARRAY[c.original_language] || c.audio_languages || c.subtitle_languages) AS lang) l
       GROUP BY l.lang
     ORDER BY 1, 3 DESC, 2`,
    [input.q, input.cap, f.type, f.genre, f.yearFrom, f.yearTo, f.language],
  );
}

/**
 * Autocomplete: titles (in any language, or the original title) whose words
 * start with the typed letters, then near misses; one row per title, named in
 * the asked language or else another.
 */
export function suggestTitles(input: { q: string; lang: 'fa' | 'en'; cap: number | null; limit: number }): Statement<{ id: string; title: string; type: string }> {
  return sql(
    `WITH q AS (SELECT normalize_search_text($1) AS t, ${likeSafe('normalize_search_text($1)')} AS lk),
     names AS (
       SELECT tr.content_id, tr.title_search AS name FROM content_translations tr
       UNION ALL
       SELECT c.id, c.original_title_search FROM content c WHERE c.original_title_search IS NOT NULL
     )
     SELECT c.id, COALESCE(t.title, s.title) AS title, c.type
     FROM (
       SELECT n.content_id, max(CASE WHEN n.name LIKE q.lk || '%' THEN 2 WHEN n.name LIKE '% ' || q.lk || '%' THEN 1 ELSE 0 END + similarity(n.name, q.t)) AS score
       FROM names n, q
       WHERE n.name LIKE q.lk || '%' OR n.name LIKE '% ' || q.lk || '%' OR n.name % q.t
       GROUP BY n.content_id
     ) m
     JOIN content c ON c.id = m.content_id
     LEFT JOIN content_translations t ON t.content_id = c.id AND t.lang = $2
     LEFT JOIN LATERAL (SELECT o.title FROM content_translations o WHERE o.content_id = c.id AND o.lang <> $2 ORDER BY o.lang IN ('fa', 'en') DESC, o.lang LIMIT 1) s ON true
     WHERE catalog_is_visible(c.status, c.publish_at, c.maturity_rating, $3::smallint)
     ORDER BY m.score DESC, c.id
     LIMIT $4`,
    [input.q, input.lang, input.cap, input.limit],
  );
}
