// The admin CMS (issue 4): editors' writes to content, seasons, episodes and
// genres. Each write is one batch that (1) checks the row is as the editor
// last saw it (updated_at, optimistic concurrency), (2) writes, and (3) adds
// the audit_log row with the snapshot before (read first) and after (read in
// the same transaction, after the write). Seasons, episodes and genres are
// audited as themselves (entity type and id, their own row before and after),
// not as the title they belong to. The edge bumps the catalog cache version
// after the commit.
import { sql, type Statement } from './statement.ts';

export const CHANGED_CONCURRENTLY = 'changed by someone else since it was read';
export const NO_SUCH_SEASON = 'no such season';
export const NO_SUCH_EPISODE = 'no such episode';

/** The full editable state of a title, as the audit log keeps it. $1 = content id. */
const CONTENT_SNAPSHOT = `(SELECT jsonb_build_object(
    'id', c.id, 'type', c.type, 'slug', c.slug, 'originalTitle', c.original_title, 'status', c.status, 'publishAt', c.publish_at, 'publishedAt', c.published_at,
    'year', c.year, 'maturityRating', c.maturity_rating, 'originalLanguage', c.original_language, 'images', c.images,
    'updatedAt', c.updated_at::text,
    'translations', COALESCE((SELECT jsonb_object_agg(t.lang, jsonb_build_object('title', t.title, 'tagline', t.tagline, 'synopsis', t.synopsis)) FROM content_translations t WHERE t.content_id = c.id), '{}'),
    'genres', COALESCE((SELECT jsonb_agg(g.slug ORDER BY g.slug) FROM content_genres cg JOIN genres g ON g.id = cg.genre_id WHERE cg.content_id = c.id), '[]'))
  FROM content c WHERE c.id = $1::uuid)`;

export interface ContentSnapshot {
  id: string;
  type: 'movie' | 'series';
  slug: string | null;
  originalTitle: string | null;
  status: 'draft' | 'scheduled' | 'published' | 'archived';
  publishAt: string | null;
  publishedAt: string | null;
  year: number | null;
  maturityRating: number;
  originalLanguage: string;
  images: Record<string, string>;
  updatedAt: string;
  translations: Record<string, { title: string; tagline: string | null; synopsis: string | null }>;
  genres: string[];
}

export function getContentSnapshot(contentId: string): Statement<{ snapshot: ContentSnapshot | null }> {
  return sql(`SELECT ${CONTENT_SNAPSHOT} AS snapshot`, [contentId]);
}

/** Omitted tagline/synopsis keep their stored value; null clears it. */
export interface Translation {
  title: string;
  tagline?: string | null;
  synopsis?: string | null;
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export interface ContentFields {
  slug?: string | null;
  originalTitle?: string | null;
  year?: number | null;
  maturityRating?: number;
  originalLanguage?: string;
  images?: Record<string, string>;
}

const assertUnchanged = (contentId: string, updatedAt: string) =>
  sql(`SELECT assert_true(EXISTS (SELECT 1 FROM content WHERE id = $1::uuid AND updated_at::text = $2), '${CHANGED_CONCURRENTLY}') AS ok`, [contentId, updatedAt]);

// A translation edit that names only the title must not erase the tagline and
// synopsis an editor did not touch: EXCLUDED carries NULL for both "omitted"
// and "cleared", so the flags ($4, $6) say which one it was.
function translationStatements(contentId: string, translations: Record<string, Translation> | undefined): Statement[] {
  return Object.entries(translations ?? {}).map(([lang, t]) =>
    sql(
      `INSERT INTO content_translations AS t (content_id, lang, title, tagline, synopsis) VALUES ($1::uuid, $2, $3, $5, $7)
       ON CONFLICT (content_id, lang) DO UPDATE SET title = EXCLUDED.title,
         tagline = CASE WHEN $4::boolean THEN EXCLUDED.tagline ELSE t.tagline END,
         synopsis = CASE WHEN $6::boolean THEN EXCLUDED.synopsis ELSE t.synopsis END`,
      [contentId, lang, t.title, has(t, 'tagline'), t.tagline ?? null, has(t, 'synopsis'), t.synopsis ?? null],
    ),
  );
}

function episodeTranslationStatements(episodeId: string, translations: Record<string, Translation> | undefined): Statement[] {
  return Object.entries(translations ?? {}).map(([lang, t]) =>
    sql(
      `INSERT INTO episode_translations AS t (episode_id, lang, title, synopsis) VALUES ($1::uuid, $2, $3, $5)
       ON CONFLICT (episode_id, lang) DO UPDATE SET title = EXCLUDED.title,
         synopsis = CASE WHEN $4::boolean THEN EXCLUDED.synopsis ELSE t.synopsis END`,
      [episodeId, lang, t.title, has(t, 'synopsis'), t.synopsis ?? null],
    ),
  );
}

function genreStatements(contentId: string, genres: string[] | undefined): Statement[] {
  if (!genres) return [];
  return [
    sql(`DELETE FROM content_genres WHERE content_id = $1::uuid`, [contentId]),
    sql(
      `INSERT INTO content_genres (content_id, genre_id)
       SELECT $1::uuid, g.id FROM genres g WHERE g.slug = ANY ($2::text[])
       RETURNING genre_id`,
      [contentId, genres],
    ),
    // An unknown slug is an editor's mistake, not something to drop silently.
    sql(`SELECT assert_true((SELECT count(*) FROM genres WHERE slug = ANY ($1::text[])) = cardinality($1::text[]), 'unknown genre') AS ok`, [genres]),
  ];
}

function audit(input: { actorId: string; requestId: string; action: string; contentId: string; before: unknown }): Statement {
  return sql(
    `INSERT INTO audit_log (actor_user_id, action, entity_type, entity_id, before, after, request_id)
     VALUES ($2::uuid, $3, 'content', $1::text, $4::jsonb, ${CONTENT_SNAPSHOT}, $5) RETURNING id`,
    [input.contentId, input.actorId, input.action, input.before === null ? null : JSON.stringify(input.before), input.requestId],
  );
}

export interface Actor {
  actorId: string;
  requestId: string;
}

/** A new title, as a draft. */
export function createContent(input: Actor & { id: string; type: 'movie' | 'series'; fields: ContentFields; translations: Record<string, Translation>; genres?: string[] }): Statement[] {
  const f = input.fields;
  return [
    sql(
      `INSERT INTO content (id, type, slug, year, maturity_rating, original_language, images, original_title)
       VALUES ($1::uuid, $2, $3, $4, COALESCE($5::smallint, 18), $6, COALESCE($7::jsonb, '{}'), $8)`,
      [input.id, input.type, f.slug ?? null, f.year ?? null, f.maturityRating ?? null, f.originalLanguage, f.images ? JSON.stringify(f.images) : null, f.originalTitle ?? null],
    ),
    ...translationStatements(input.id, input.translations),
    ...genreStatements(input.id, input.genres),
    audit({ ...input, action: 'content.create', contentId: input.id, before: null }),
  ];
}

export function updateContent(input: Actor & { contentId: string; before: ContentSnapshot; fields: ContentFields; translations?: Record<string, Translation>; genres?: string[] }): Statement[] {
  const f = input.fields;
  return [
    assertUnchanged(input.contentId, input.before.updatedAt),
    sql(
      `UPDATE content SET
         slug = CASE WHEN $2 THEN $3 ELSE slug END,
         year = CASE WHEN $4 THEN $5::smallint ELSE year END,
         maturity_rating = COALESCE($6::smallint, maturity_rating),
         original_language = COALESCE($7, original_language),
         images = COALESCE($8::jsonb, images),
         original_title = CASE WHEN $9 THEN $10 ELSE original_title END
       WHERE id = $1::uuid`,
      [
        input.contentId, has(f, 'slug'), f.slug ?? null, has(f, 'year'), f.year ?? null, f.maturityRating ?? null, f.originalLanguage ?? null,
        f.images ? JSON.stringify(f.images) : null, has(f, 'originalTitle'), f.originalTitle ?? null,
      ],
    ),
    ...translationStatements(input.contentId, input.translations),
    ...genreStatements(input.contentId, input.genres),
    audit({ ...input, action: 'content.update', before: input.before }),
  ];
}

export type Publication = { action: 'publish' } | { action: 'unpublish' } | { action: 'schedule'; publishAt: string };

/** Publish now, schedule for later, or take down (archived). fa and en are enforced at commit by the schema. */
export function setPublication(input: Actor & { contentId: string; before: ContentSnapshot; publication: Publication }): Statement[] {
  const p = input.publication;
  const update =
    p.action === 'publish'
      ? // Publishing again what was taken down is a new release: it goes to the
        // top of "new releases" as viewers expect, instead of sorting by the
        // date it first went out. A publish of a live title keeps its date.
        sql(`UPDATE content SET status = 'published', published_at = CASE WHEN status = 'archived' THEN now() ELSE COALESCE(published_at, now()) END, publish_at = NULL WHERE id = $1::uuid`, [input.contentId])
      : p.action === 'unpublish'
        ? sql(`UPDATE content SET status = CASE WHEN published_at IS NULL THEN 'draft' ELSE 'archived' END, publish_at = NULL WHERE id = $1::uuid`, [input.contentId])
        : sql(`UPDATE content SET status = 'scheduled', publish_at = $2::timestamptz, published_at = NULL WHERE id = $1::uuid`, [input.contentId, p.publishAt]);
  return [assertUnchanged(input.contentId, input.before.updatedAt), update, audit({ ...input, action: `content.${p.action}`, before: input.before })];
}

/** An episode with its translations, as the audit log keeps it. $1 = episode id. */
const EPISODE_SNAPSHOT = `(SELECT to_jsonb(e) || jsonb_build_object('translations',
    COALESCE((SELECT jsonb_object_agg(t.lang, jsonb_build_object('title', t.title, 'synopsis', t.synopsis)) FROM episode_translations t WHERE t.episode_id = e.id), '{}'))
  FROM episodes e WHERE e.id = $1::uuid)`;

// A batch over Neon's HTTP driver cannot hand one statement's result to the
// next, so the row before an edit is kept in a transaction-local setting
// (gone at commit) for the audit statement at the end of the same batch.
const BEFORE_SETTING = 'irdnl.audit_before';

export function createSeason(input: Actor & { contentId: string; seasonNumber: number; year: number | null }): Statement[] {
  const id = crypto.randomUUID();
  return [
    sql(`INSERT INTO seasons (id, series_id, season_number, year) VALUES ($1::uuid, $2::uuid, $3, $4) RETURNING id`, [id, input.contentId, input.seasonNumber, input.year]),
    // Moves the series to the top of the editors' list (ordered by updated_at).
    sql(`UPDATE content SET updated_at = now() WHERE id = $1::uuid`, [input.contentId]),
    sql(
      `INSERT INTO audit_log (actor_user_id, action, entity_type, entity_id, after, request_id)
       SELECT $2::uuid, 'season.create', 'season', s.id::text, to_jsonb(s), $3 FROM seasons s WHERE s.id = $1::uuid RETURNING id`,
      [id, input.actorId, input.requestId],
    ),
  ];
}

export function createEpisode(input: Actor & { seasonId: string; episodeNumber: number; translations: Record<string, Translation>; status: 'draft' | 'published' | 'scheduled'; publishAt: string | null }): Statement[] {
  const id = crypto.randomUUID();
  return [
    sql(`SELECT assert_true(EXISTS (SELECT 1 FROM seasons WHERE id = $1::uuid), '${NO_SUCH_SEASON}') AS ok`, [input.seasonId]),
    sql(
      `INSERT INTO episodes (id, season_id, series_id, episode_number, status, publish_at, published_at)
       SELECT $1::uuid, s.id, s.series_id, $3, $4, $5::timestamptz, CASE WHEN $4 = 'published' THEN now() END FROM seasons s WHERE s.id = $2::uuid
       RETURNING id, series_id AS "seriesId"`,
      [id, input.seasonId, input.episodeNumber, input.status, input.publishAt],
    ),
    ...episodeTranslationStatements(id, input.translations),
    sql(
      `INSERT INTO audit_log (actor_user_id, action, entity_type, entity_id, after, request_id)
       VALUES ($2::uuid, 'episode.create', 'episode', $1::text, ${EPISODE_SNAPSHOT}, $3) RETURNING id`,
      [id, input.actorId, input.requestId],
    ),
  ];
}

export interface AdminContentRow {
  id: string;
  type: string;
  slug: string | null;
  status: string;
  title: string | null;
  updatedAt: Date;
  cursorAt: string;
}

export function listAdminContent(input: { status: string | null; type: string | null; before: { at: string; id: string } | null; limit: number }): Statement<AdminContentRow> {
  return sql(
    `SELECT c.id, c.type, c.slug, c.status, COALESCE(t.title, e.title) AS title, c.updated_at AS "updatedAt", c.updated_at::text AS "cursorAt"
     FROM content c
     LEFT JOIN content_translations t ON t.content_id = c.id AND t.lang = 'fa'
     LEFT JOIN content_translations e ON e.content_id = c.id AND e.lang = 'en'
     WHERE ($1::text IS NULL OR c.status = $1) AND ($2::text IS NULL OR c.type = $2)
       AND ($3::timestamptz IS NULL OR (c.updated_at, c.id) < ($3::timestamptz, $4::uuid))
     ORDER BY c.updated_at DESC, c.id DESC
     LIMIT $5`,
    [input.status, input.type, input.before?.at ?? null, input.before?.id ?? null, input.limit],
  );
}

export function createGenre(input: Actor & { slug: string; fa: string; en: string }): Statement[] {
  return [
    sql(`INSERT INTO genres (slug, name_fa, name_en) VALUES ($1, $2, $3) RETURNING id, slug`, [input.slug, input.fa, input.en]),
    sql(
      `INSERT INTO audit_log (actor_user_id, action, entity_type, entity_id, after, request_id)
       SELECT $2::uuid, 'genre.create', 'genre', g.id::text, to_jsonb(g), $3 FROM genres g WHERE g.slug = $1 RETURNING id`,
      [input.slug, input.actorId, input.requestId],
    ),
  ];
}

/**
 * Edit an episode (number, fa/en titles and synopses) and its publication
 * (publish now, schedule, back to draft) in one batch with its audit row.
 * Fails with NO_SUCH_EPISODE before any write when the episode does not exist.
 */
export function updateEpisode(input: Actor & {
  episodeId: string;
  episodeNumber?: number;
  translations?: Record<string, Translation>;
  publication?: Publication;
}): Statement[] {
  const p = input.publication;
  const status = p === undefined ? null : p.action === 'publish' ? 'published' : p.action === 'schedule' ? 'scheduled' : 'draft';
  return [
    // The lock keeps the row captured below the one this batch changes.
    sql(`SELECT assert_true(EXISTS (SELECT 1 FROM episodes WHERE id = $1::uuid FOR UPDATE), '${NO_SUCH_EPISODE}') AS ok`, [input.episodeId]),
    sql(`SELECT set_config('${BEFORE_SETTING}', ${EPISODE_SNAPSHOT}::text, true) AS ok`, [input.episodeId]),
    sql(
      `UPDATE episodes SET
         episode_number = COALESCE($2::smallint, episode_number),
         status = COALESCE($3, status),
         publish_at = CASE WHEN $3 IS NULL THEN publish_at WHEN $3 = 'scheduled' THEN $4::timestamptz ELSE NULL END,
         published_at = CASE WHEN $3 = 'published' THEN COALESCE(published_at, now()) WHEN $3 IS NULL THEN published_at ELSE NULL END
       WHERE id = $1::uuid`,
      [input.episodeId, input.episodeNumber ?? null, status, p?.action === 'schedule' ? p.publishAt : null],
    ),
    ...episodeTranslationStatements(input.episodeId, input.translations),
    sql(
      `INSERT INTO audit_log (actor_user_id, action, entity_type, entity_id, before, after, request_id)
       VALUES ($2::uuid, 'episode.update', 'episode', $1::text, current_setting('${BEFORE_SETTING}')::jsonb, ${EPISODE_SNAPSHOT}, $3) RETURNING id`,
      [input.episodeId, input.actorId, input.requestId],
    ),
  ];
}
