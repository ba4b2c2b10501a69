-- The catalog: content (movies and series), translations, genres, cast,
-- seasons and episodes.
--
-- Multi-language text lives in translation tables (content_translations,
-- episode_translations), one row per language, rather than in jsonb columns:
-- - each language gets its own generated search columns and GIN indexes
--   (trigram on the normalised title, full-text vector), which a jsonb blob
--   could only index through one expression per language;
-- - a CHECK per field (length, not blank) applies to every language;
-- - "fa and en exist" is a plain EXISTS, enforced by a deferred trigger when
--   content is published or scheduled;
-- - adding a language is new rows, not a migration.
-- Small closed vocabularies edited only by admins (genres, people's names)
-- keep fa/en columns instead: they always have exactly those two.
--
-- Publishing: status draft -> scheduled (publish_at set) -> published
-- (published_at set) -> archived. A housekeeping job promotes scheduled rows
-- whose publish_at has passed; browse reads status = 'published' only.
--
-- maturity_rating is the minimum viewer age (0 = all ages); a profile sees
-- content with maturity_rating <= profiles.maturity_cap.

CREATE TABLE content (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type              text NOT NULL CHECK (type IN ('movie', 'series')),
  slug              text UNIQUE CHECK (length(slug) <= 120 AND slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
  publish_at        timestamptz,
  published_at      timestamptz,
  year              smallint CHECK (year BETWEEN 1888 AND 2100),
  -- Unrated drafts default to the most restrictive rating.
  maturity_rating   smallint NOT NULL DEFAULT 18 CHECK (maturity_rating IN (0, 7, 12, 15, 18)),
  original_language text NOT NULL CHECK (original_language ~ '^[a-z]{2,3}$'),
  -- Denormalised from the published video's audio and subtitle tracks by the
  -- publish step, so the browse "language" filter is one indexed array test.
  audio_languages    text[] NOT NULL DEFAULT '{}',
  subtitle_languages text[] NOT NULL DEFAULT '{}',
  -- Object-store keys: {"poster": "...", "backdrop": "...", "logo": "...", "thumbnail": "..."}.
  images            jsonb NOT NULL DEFAULT '{}' CHECK (
                      jsonb_typeof(images) = 'object'
                      AND images - ARRAY['poster', 'backdrop', 'logo', 'thumbnail'] = '{}'::jsonb
                      AND NOT jsonb_path_exists(images, '$.* ? (@.type() != "string")')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  -- Target of composite foreign keys that pin a row to one content type
  -- (seasons to series, feature video assets to movies).
  CONSTRAINT content_id_type_unique UNIQUE (id, type),
  CONSTRAINT content_scheduled_has_publish_at CHECK (status <> 'scheduled' OR publish_at IS NOT NULL),
  CONSTRAINT content_published_has_published_at CHECK (status NOT IN ('published', 'archived') OR published_at IS NOT NULL),
  CONSTRAINT content_listed_has_year CHECK (status = 'draft' OR year IS NOT NULL)
);
CREATE TRIGGER content_updated_at BEFORE UPDATE ON content
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- Browse: newest first with a (published_at, id) cursor, optionally by type or
-- year; maturity and language are filtered on top of these.
CREATE INDEX content_browse_idx ON content (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX content_browse_type_idx ON content (type, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX content_browse_year_idx ON content (year, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX content_audio_languages_idx ON content USING gin (audio_languages) WHERE status = 'published';
-- The scheduled-publishing job: which rows are due.
CREATE INDEX content_scheduled_due_idx ON content (publish_at) WHERE status = 'scheduled';
-- Admin lists: everything, recently edited first.
CREATE INDEX content_admin_idx ON content (updated_at DESC, id DESC);

CREATE TABLE content_translations (
  content_id    uuid NOT NULL REFERENCES content (id) ON DELETE CASCADE,
  lang          text NOT NULL CHECK (lang ~ '^[a-z]{2,3}$'),
  title         text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 300),
  tagline       text CHECK (length(tagline) <= 300),
  synopsis      text CHECK (length(synopsis) <= 5000),
  -- Search columns, derived so they can never drift from the text. 'simple'
  -- because core Postgres has no Persian stemmer: both languages get the same
  -- exact-token matching, and trigrams on the title catch typos and partials.
  title_search  text GENERATED ALWAYS AS (normalize_search_text(title)) STORED,
  search_vector tsvector GENERATED ALWAYS AS (
                  setweight(to_tsvector('simple', normalize_search_text(title)), 'A')
                  || setweight(to_tsvector('simple', coalesce(normalize_search_text(tagline), '')), 'B')
                  || setweight(to_tsvector('simple', coalesce(normalize_search_text(synopsis), '')), 'C')) STORED,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (content_id, lang)
);
CREATE TRIGGER content_translations_updated_at BEFORE UPDATE ON content_translations
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE INDEX content_translations_title_trgm_idx ON content_translations USING gin (title_search gin_trgm_ops);
CREATE INDEX content_translations_fts_idx ON content_translations USING gin (search_vector);

-- Content that is published or scheduled must have fa and en translations.
-- Deferred to commit, so a content row and its translations can be written in
-- any order inside one transaction (or one Neon HTTP batch).
CREATE FUNCTION check_content_translations() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
  missing text;
BEGIN
  -- Separate branches: NEW has no content_id, and OLD no id, on the other table.
  IF TG_TABLE_NAME = 'content' THEN target := NEW.id; ELSE target := OLD.content_id; END IF;
  SELECT string_agg(required.lang, ', ' ORDER BY required.lang) INTO missing
  FROM content c
  CROSS JOIN (VALUES ('en'), ('fa')) AS required (lang)
  WHERE c.id = target
    AND c.status IN ('scheduled', 'published')
    AND NOT EXISTS (SELECT 1 FROM content_translations t WHERE t.content_id = c.id AND t.lang = required.lang);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'content % is published or scheduled but has no % translation', target, missing
      USING ERRCODE = 'check_violation', CONSTRAINT = 'content_requires_fa_en';
  END IF;
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER content_requires_fa_en
  AFTER INSERT OR UPDATE OF status ON content
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.status IN ('scheduled', 'published'))
  EXECUTE FUNCTION check_content_translations();
CREATE CONSTRAINT TRIGGER content_translations_keep_fa_en
  AFTER DELETE OR UPDATE OF content_id, lang ON content_translations
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION check_content_translations();

CREATE TABLE genres (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug       text NOT NULL UNIQUE CHECK (length(slug) <= 60 AND slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name_fa    text NOT NULL CHECK (length(btrim(name_fa)) BETWEEN 1 AND 100),
  name_en    text NOT NULL CHECK (length(btrim(name_en)) BETWEEN 1 AND 100),
  sort_order smallint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER genres_updated_at BEFORE UPDATE ON genres
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE content_genres (
  content_id uuid NOT NULL REFERENCES content (id) ON DELETE CASCADE,
  -- A genre still in use cannot be deleted by accident.
  genre_id   uuid NOT NULL REFERENCES genres (id) ON DELETE RESTRICT,
  PRIMARY KEY (content_id, genre_id)
);
-- Browse by genre drives from the genre.
CREATE INDEX content_genres_by_genre_idx ON content_genres (genre_id, content_id);

-- Cast and crew, searched by name in either script.
CREATE TABLE people (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name_fa     text CHECK (length(btrim(name_fa)) BETWEEN 1 AND 200),
  name_en     text CHECK (length(btrim(name_en)) BETWEEN 1 AND 200),
  image_key   text CHECK (length(image_key) BETWEEN 1 AND 512),
  name_search text GENERATED ALWAYS AS (normalize_search_text(coalesce(name_fa, '') || ' ' || coalesce(name_en, ''))) STORED,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT people_named CHECK (name_fa IS NOT NULL OR name_en IS NOT NULL)
);
CREATE TRIGGER people_updated_at BEFORE UPDATE ON people
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE INDEX people_name_trgm_idx ON people USING gin (name_search gin_trgm_ops);

CREATE TABLE content_credits (
  content_id        uuid NOT NULL REFERENCES content (id) ON DELETE CASCADE,
  person_id         uuid NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  role              text NOT NULL CHECK (role IN ('actor', 'voice', 'director', 'creator', 'writer', 'producer', 'composer', 'cinematographer', 'editor')),
  character_name_fa text CHECK (length(character_name_fa) BETWEEN 1 AND 200),
  character_name_en text CHECK (length(character_name_en) BETWEEN 1 AND 200),
  billing_order     smallint NOT NULL DEFAULT 0 CHECK (billing_order >= 0),
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (content_id, person_id, role)
);
-- Search over cast: people matched by name -> their content.
CREATE INDEX content_credits_by_person_idx ON content_credits (person_id, content_id);

-- Seasons belong to series only: the composite key (series_id, series_type)
-- references content (id, type), and series_type can only be 'series'.
CREATE TABLE seasons (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  series_id     uuid NOT NULL,
  series_type   text NOT NULL DEFAULT 'series' CHECK (series_type = 'series'),
  -- 0 holds specials.
  season_number smallint NOT NULL CHECK (season_number BETWEEN 0 AND 999),
  year          smallint CHECK (year BETWEEN 1888 AND 2100),
  images        jsonb NOT NULL DEFAULT '{}' CHECK (
                  jsonb_typeof(images) = 'object'
                  AND images - ARRAY['poster', 'backdrop', 'thumbnail'] = '{}'::jsonb
                  AND NOT jsonb_path_exists(images, '$.* ? (@.type() != "string")')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (series_id, series_type) REFERENCES content (id, type) ON DELETE CASCADE,
  CONSTRAINT seasons_number_unique UNIQUE (series_id, season_number),
  CONSTRAINT seasons_id_series_unique UNIQUE (id, series_id)
);
CREATE TRIGGER seasons_updated_at BEFORE UPDATE ON seasons
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- series_id is carried down from the season (and kept consistent by the
-- composite key) so watch history and "all episodes of a series" need no join.
-- Episodes publish on their own schedule (weekly releases).
CREATE TABLE episodes (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  season_id      uuid NOT NULL,
  series_id      uuid NOT NULL,
  episode_number smallint NOT NULL CHECK (episode_number BETWEEN 1 AND 9999),
  status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
  publish_at     timestamptz,
  published_at   timestamptz,
  images         jsonb NOT NULL DEFAULT '{}' CHECK (
                   jsonb_typeof(images) = 'object'
                   AND images - ARRAY['thumbnail', 'backdrop'] = '{}'::jsonb
                   AND NOT jsonb_path_exists(images, '$.* ? (@.type() != "string")')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (season_id, series_id) REFERENCES seasons (id, series_id) ON DELETE CASCADE,
  CONSTRAINT episodes_number_unique UNIQUE (season_id, episode_number),
  CONSTRAINT episodes_id_series_unique UNIQUE (id, series_id),
  CONSTRAINT episodes_scheduled_has_publish_at CHECK (status <> 'scheduled' OR publish_at IS NOT NULL),
  CONSTRAINT episodes_published_has_published_at CHECK (status NOT IN ('published', 'archived') OR published_at IS NOT NULL)
);
CREATE TRIGGER episodes_updated_at BEFORE UPDATE ON episodes
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE INDEX episodes_by_series_idx ON episodes (series_id);
CREATE INDEX episodes_scheduled_due_idx ON episodes (publish_at) WHERE status = 'scheduled';

CREATE TABLE episode_translations (
  episode_id uuid NOT NULL REFERENCES episodes (id) ON DELETE CASCADE,
  lang       text NOT NULL CHECK (lang ~ '^[a-z]{2,3}$'),
  title      text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 300),
  synopsis   text CHECK (length(synopsis) <= 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (episode_id, lang)
);
CREATE TRIGGER episode_translations_updated_at BEFORE UPDATE ON episode_translations
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Same rule as for content: a published or scheduled episode has fa and en.
CREATE FUNCTION check_episode_translations() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target uuid;
  missing text;
BEGIN
  IF TG_TABLE_NAME = 'episodes' THEN target := NEW.id; ELSE target := OLD.episode_id; END IF;
  SELECT string_agg(required.lang, ', ' ORDER BY required.lang) INTO missing
  FROM episodes e
  CROSS JOIN (VALUES ('en'), ('fa')) AS required (lang)
  WHERE e.id = target
    AND e.status IN ('scheduled', 'published')
    AND NOT EXISTS (SELECT 1 FROM episode_translations t WHERE t.episode_id = e.id AND t.lang = required.lang);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'episode % is published or scheduled but has no % translation', target, missing
      USING ERRCODE = 'check_violation', CONSTRAINT = 'episode_requires_fa_en';
  END IF;
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER episode_requires_fa_en
  AFTER INSERT OR UPDATE OF status ON episodes
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.status IN ('scheduled', 'published'))
  EXECUTE FUNCTION check_episode_translations();
CREATE CONSTRAINT TRIGGER episode_translations_keep_fa_en
  AFTER DELETE OR UPDATE OF episode_id, lang ON episode_translations
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION check_episode_translations();
