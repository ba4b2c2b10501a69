-- Video assets and their transcoded outputs.
--
-- A video asset is one playable slot: the feature of a movie, the video of an
-- episode, or a trailer of any content (exactly one owner). Replacing its
-- source starts a new version; the outputs of the published version keep
-- serving until the new one is ready and published, then the old outputs are
-- retired. So:
-- - video_assets holds the slot, its owner, and the ingest/processing state
--   of its working version (`version`, the newest); `published_version` is
--   the one playback serves (NULL until the first version is published);
-- - video_asset_versions holds what a version produced: where its outputs
--   live, its duration, manifests and DRM key material; renditions, audio and
--   subtitle tracks hang off (asset_id, version).

CREATE TABLE video_assets (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  movie_id              uuid,
  -- Pins movie_id to content of type 'movie' through the composite key below.
  movie_type            text NOT NULL DEFAULT 'movie' CHECK (movie_type = 'movie'),
  episode_id            uuid REFERENCES episodes (id) ON DELETE CASCADE,
  trailer_of_content_id uuid REFERENCES content (id) ON DELETE CASCADE,
  kind                  text NOT NULL GENERATED ALWAYS AS (
                          CASE WHEN movie_id IS NOT NULL THEN 'movie'
                               WHEN episode_id IS NOT NULL THEN 'episode'
                               ELSE 'trailer' END) STORED,
  -- Policy for new versions: package with encryption (keys in video_asset_versions).
  drm_protected         boolean NOT NULL DEFAULT false,
  version               integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  published_version     integer CHECK (published_version >= 1 AND published_version <= version),
  -- State of the working version. playable: the first renditions are out and
  -- can be previewed; ready: all outputs done (publishing is a separate step).
  status                text NOT NULL DEFAULT 'uploading'
                          CHECK (status IN ('uploading', 'queued', 'processing', 'playable', 'ready', 'failed', 'cancelled')),
  progress              smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  current_step          text CHECK (length(current_step) BETWEEN 1 AND 100),
  failure_reason        text CHECK (length(failure_reason) BETWEEN 1 AND 2000),
  -- The working version's source in the object store, and its multipart
  -- upload while one is open.
  source_key            text CHECK (length(source_key) BETWEEN 1 AND 1024),
  upload_id             text CHECK (length(upload_id) BETWEEN 1 AND 1024),
  source_size_bytes     bigint CHECK (source_size_bytes > 0),
  source_content_type   text CHECK (source_content_type ~ '^[a-z]+/[a-zA-Z0-9.+-]+$'),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (movie_id, movie_type) REFERENCES content (id, type) ON DELETE CASCADE,
  CONSTRAINT video_assets_one_owner CHECK (num_nonnulls(movie_id, episode_id, trailer_of_content_id) = 1),
  CONSTRAINT video_assets_failed_has_reason CHECK (status <> 'failed' OR failure_reason IS NOT NULL),
  CONSTRAINT video_assets_source_before_processing CHECK (status NOT IN ('queued', 'processing', 'playable', 'ready') OR source_key IS NOT NULL)
);
CREATE TRIGGER video_assets_updated_at BEFORE UPDATE ON video_assets
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- One feature video per movie and one video per episode; any number of trailers.
CREATE UNIQUE INDEX video_assets_movie_unique ON video_assets (movie_id) WHERE movie_id IS NOT NULL;
CREATE UNIQUE INDEX video_assets_episode_unique ON video_assets (episode_id) WHERE episode_id IS NOT NULL;
CREATE INDEX video_assets_trailers_idx ON video_assets (trailer_of_content_id) WHERE trailer_of_content_id IS NOT NULL;
-- Admin "in progress" list and the sweep for abandoned uploads.
CREATE INDEX video_assets_in_flight_idx ON video_assets (status, updated_at)
  WHERE status IN ('uploading', 'queued', 'processing', 'playable');

CREATE TABLE video_asset_versions (
  asset_id              uuid NOT NULL REFERENCES video_assets (id) ON DELETE CASCADE,
  version               integer NOT NULL CHECK (version >= 1),
  -- Kept for re-transcoding and for deleting the source once retired.
  source_key            text NOT NULL CHECK (length(source_key) BETWEEN 1 AND 1024),
  -- Every output of this version lives under this prefix (ends with '/'), so
  -- retiring a version is one prefix delete.
  storage_prefix        text NOT NULL CHECK (length(storage_prefix) BETWEEN 2 AND 1024 AND storage_prefix ~ '/$'),
  duration_seconds      numeric(10, 3) CHECK (duration_seconds > 0),
  hls_manifest_key      text CHECK (length(hls_manifest_key) BETWEEN 1 AND 1024),
  dash_manifest_key     text CHECK (length(dash_manifest_key) BETWEEN 1 AND 1024),
  -- DRM: the content key is stored only encrypted under a key-encryption key
  -- (KEK) held outside the database; kek_id names which KEK, so KEKs can rotate.
  drm_key_id            uuid,
  encrypted_content_key bytea CHECK (octet_length(encrypted_content_key) BETWEEN 16 AND 1024),
  kek_id                text CHECK (length(kek_id) BETWEEN 1 AND 200),
  created_at            timestamptz NOT NULL DEFAULT now(),
  ready_at              timestamptz,
  published_at          timestamptz,
  -- Set when the outputs were deleted after a newer version was published.
  retired_at            timestamptz,
  PRIMARY KEY (asset_id, version),
  CONSTRAINT video_asset_versions_key_complete CHECK (
    (drm_key_id IS NULL) = (encrypted_content_key IS NULL) AND (encrypted_content_key IS NULL) = (kek_id IS NULL)),
  CONSTRAINT video_asset_versions_published_ready CHECK (published_at IS NULL OR ready_at IS NOT NULL)
);

-- The published version cannot be deleted from under playback.
ALTER TABLE video_assets ADD CONSTRAINT video_assets_published_version_fkey
  FOREIGN KEY (id, published_version) REFERENCES video_asset_versions (asset_id, version);

CREATE TABLE renditions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  asset_id    uuid NOT NULL,
  version     integer NOT NULL,
  height      smallint NOT NULL CHECK (height BETWEEN 1 AND 4320),
  width       smallint NOT NULL CHECK (width BETWEEN 1 AND 7680),
  -- Bits per second.
  bitrate     integer NOT NULL CHECK (bitrate > 0),
  codec       text NOT NULL CHECK (codec IN ('h264', 'h265', 'vp9', 'av1')),
  frame_rate  numeric(6, 3) CHECK (frame_rate > 0),
  storage_key text NOT NULL CHECK (length(storage_key) BETWEEN 1 AND 1024),
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (asset_id, version) REFERENCES video_asset_versions (asset_id, version) ON DELETE CASCADE,
  -- A retried transcode upserts the same rung instead of adding a duplicate.
  CONSTRAINT renditions_rung_unique UNIQUE (asset_id, version, codec, height, bitrate)
);

CREATE TABLE audio_tracks (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  asset_id    uuid NOT NULL,
  version     integer NOT NULL,
  lang        text NOT NULL CHECK (lang ~ '^[a-z]{2,3}$'),
  -- e.g. 'دوبله فارسی' / 'Original'; the player falls back to the language name.
  label       text CHECK (length(label) BETWEEN 1 AND 100),
  codec       text NOT NULL CHECK (codec IN ('aac', 'ac3', 'eac3', 'opus')),
  channels    smallint NOT NULL CHECK (channels BETWEEN 1 AND 16),
  bitrate     integer CHECK (bitrate > 0),
  is_original boolean NOT NULL DEFAULT false,
  is_default  boolean NOT NULL DEFAULT false,
  storage_key text NOT NULL CHECK (length(storage_key) BETWEEN 1 AND 1024),
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (asset_id, version) REFERENCES video_asset_versions (asset_id, version) ON DELETE CASCADE,
  CONSTRAINT audio_tracks_unique UNIQUE (asset_id, version, lang, codec, channels)
);
CREATE UNIQUE INDEX audio_tracks_one_default ON audio_tracks (asset_id, version) WHERE is_default;

-- Subtitles are packaged into a version's manifests, so they are per version
-- too; creating a new version copies the previous version's rows.
CREATE TABLE subtitle_tracks (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  asset_id    uuid NOT NULL,
  version     integer NOT NULL,
  lang        text NOT NULL CHECK (lang ~ '^[a-z]{2,3}$'),
  label       text CHECK (length(label) BETWEEN 1 AND 100),
  kind        text NOT NULL DEFAULT 'subtitles' CHECK (kind IN ('subtitles', 'captions', 'forced')),
  format      text NOT NULL DEFAULT 'webvtt' CHECK (format IN ('webvtt', 'ttml')),
  is_default  boolean NOT NULL DEFAULT false,
  storage_key text NOT NULL CHECK (length(storage_key) BETWEEN 1 AND 1024),
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (asset_id, version) REFERENCES video_asset_versions (asset_id, version) ON DELETE CASCADE,
  CONSTRAINT subtitle_tracks_unique UNIQUE (asset_id, version, lang, kind)
);
CREATE UNIQUE INDEX subtitle_tracks_one_default ON subtitle_tracks (asset_id, version) WHERE is_default;
