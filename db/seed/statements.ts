// Upserts for the demo seed, one statement each. Re-running them converges
// on the data in db/seed/data.ts (ON CONFLICT ... DO UPDATE); rows the seed no
// longer lists are left alone.
import { sql, type Statement } from '../sql/statement.ts';
import type { Lang, SeedContent, SeedCredit, SeedEpisode, SeedGenre, SeedPerson, SeedProfile, SeedSeason, SeedSubscription, SeedText, SeedUser } from './data.ts';

// password_hash stays NULL: password hashing arrives with the identity work;
// until then the demo accounts sign in with an OTP.
export function upsertUser(u: SeedUser): Statement {
  return sql(
    // A password changed through the API survives a re-seed (COALESCE keeps it).
    `INSERT INTO users (id, email, phone, role, display_name, locale, email_verified_at, phone_verified_at, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6, '2025-01-01T00:00:00Z', CASE WHEN $3::text IS NULL THEN NULL ELSE '2025-01-01T00:00:00Z'::timestamptz END, $7)
     ON CONFLICT (id) DO UPDATE SET
       email = EXCLUDED.email, phone = EXCLUDED.phone, role = EXCLUDED.role, display_name = EXCLUDED.display_name,
       locale = EXCLUDED.locale, email_verified_at = EXCLUDED.email_verified_at, phone_verified_at = EXCLUDED.phone_verified_at,
       password_hash = COALESCE(users.password_hash, EXCLUDED.password_hash)`,
    [u.id, u.email, u.phone, u.role, u.displayName, u.locale, u.passwordHash],
  );
}

export function upsertProfile(p: SeedProfile): Statement {
  return sql(
    `INSERT INTO profiles (id, user_id, name, is_kids, maturity_cap, locale)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET
       name = EXCLUDED.name, is_kids = EXCLUDED.is_kids, maturity_cap = EXCLUDED.maturity_cap, locale = EXCLUDED.locale`,
    [p.id, p.userId, p.name, p.isKids, p.maturityCap, p.locale],
  );
}

export function upsertSubscription(s: SeedSubscription): Statement {
  return sql(
    `INSERT INTO subscriptions (id, user_id, tier, status, provider, current_period_start, current_period_end)
     VALUES ($1, $2, $3, 'active', 'manual', now(), now() + make_interval(days => $4::int))
     ON CONFLICT (id) DO UPDATE SET
       tier = EXCLUDED.tier, status = 'active', cancel_at_period_end = false, canceled_at = NULL,
       current_period_start = EXCLUDED.current_period_start, current_period_end = EXCLUDED.current_period_end`,
    [s.id, s.userId, s.tier, s.periodDays],
  );
}

export function upsertGenre(g: SeedGenre): Statement {
  return sql(
    `INSERT INTO genres (id, slug, name_fa, name_en, sort_order) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET
       slug = EXCLUDED.slug, name_fa = EXCLUDED.name_fa, name_en = EXCLUDED.name_en, sort_order = EXCLUDED.sort_order`,
    [g.id, g.slug, g.fa, g.en, g.sortOrder],
  );
}

export function upsertPerson(p: SeedPerson): Statement {
  return sql(
    `INSERT INTO people (id, name_fa, name_en) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET name_fa = EXCLUDED.name_fa, name_en = EXCLUDED.name_en`,
    [p.id, p.fa, p.en],
  );
}

// audio/subtitle languages are set as the publish step would set them from
// the video's tracks, so the browse language filter has something to find.
export function upsertContent(c: SeedContent, images: Record<string, string>): Statement {
  return sql(
    `INSERT INTO content (id, type, slug, status, publish_at, published_at, year, maturity_rating, original_language,
                          audio_languages, subtitle_languages, images, original_title)
     VALUES ($1, $2, $3, $4,
             CASE WHEN $4 = 'scheduled' THEN $5::timestamptz END,
             CASE WHEN $4 = 'published' THEN $5::timestamptz END,
             $6, $7, $8, ARRAY['fa'], ARRAY['en', 'fa'], $9::jsonb, $10)
     ON CONFLICT (id) DO UPDATE SET
       type = EXCLUDED.type, slug = EXCLUDED.slug, status = EXCLUDED.status, publish_at = EXCLUDED.publish_at,
       published_at = EXCLUDED.published_at, year = EXCLUDED.year, maturity_rating = EXCLUDED.maturity_rating,
       original_language = EXCLUDED.original_language, audio_languages = EXCLUDED.audio_languages,
       subtitle_languages = EXCLUDED.subtitle_languages, images = EXCLUDED.images, original_title = EXCLUDED.original_title`,
    [c.id, c.type, c.slug, c.status, c.at, c.year, c.maturityRating, c.originalLanguage, JSON.stringify(images), c.originalTitle ?? null],
  );
}

export function upsertContentTranslation(contentId: string, lang: Lang, t: SeedText): Statement {
  return sql(
    `INSERT INTO content_translations (content_id, lang, title, synopsis) VALUES ($1, $2, $3, $4)
     ON CONFLICT (content_id, lang) DO UPDATE SET title = EXCLUDED.title, synopsis = EXCLUDED.synopsis`,
    [contentId, lang, t.title, t.synopsis],
  );
}

export function linkContentGenre(contentId: string, genreId: string): Statement {
  return sql(`INSERT INTO content_genres (content_id, genre_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [contentId, genreId]);
}

export function upsertCredit(contentId: string, c: SeedCredit): Statement {
  return sql(
    `INSERT INTO content_credits (content_id, person_id, role, character_name_fa, character_name_en, billing_order)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (content_id, person_id, role) DO UPDATE SET
       character_name_fa = EXCLUDED.character_name_fa, character_name_en = EXCLUDED.character_name_en,
       billing_order = EXCLUDED.billing_order`,
    [contentId, c.personId, c.role, c.character?.fa ?? null, c.character?.en ?? null, c.order],
  );
}

export function upsertSeason(seriesId: string, s: SeedSeason): Statement {
  return sql(
    `INSERT INTO seasons (id, series_id, season_number, year) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET season_number = EXCLUDED.season_number, year = EXCLUDED.year`,
    [s.id, seriesId, s.number, s.year],
  );
}

/** Seeded episodes are published together with their series. */
export function upsertEpisode(seriesId: string, seasonId: string, e: SeedEpisode, publishedAt: string): Statement {
  return sql(
    `INSERT INTO episodes (id, season_id, series_id, episode_number, status, published_at)
     VALUES ($1, $2, $3, $4, 'published', $5)
     ON CONFLICT (id) DO UPDATE SET
       episode_number = EXCLUDED.episode_number, status = EXCLUDED.status, published_at = EXCLUDED.published_at`,
    [e.id, seasonId, seriesId, e.number, publishedAt],
  );
}

export function upsertEpisodeTranslation(episodeId: string, lang: Lang, t: SeedText): Statement {
  return sql(
    `INSERT INTO episode_translations (episode_id, lang, title, synopsis) VALUES ($1, $2, $3, $4)
     ON CONFLICT (episode_id, lang) DO UPDATE SET title = EXCLUDED.title, synopsis = EXCLUDED.synopsis`,
    [episodeId, lang, t.title, t.synopsis],
  );
}
