-- Per-profile viewing state: resume positions and the watchlist.

-- One row per profile and item. For a movie the item is (content_id, NULL);
-- for a series it is (series content_id, episode_id), and the composite key
-- keeps the episode inside that series. The player reports positions every
-- few seconds, so the write is an upsert on the unique key.
CREATE TABLE watch_history (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  profile_id       uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  content_id       uuid NOT NULL REFERENCES content (id) ON DELETE CASCADE,
  episode_id       uuid,
  position_seconds integer NOT NULL CHECK (position_seconds >= 0),
  duration_seconds integer NOT NULL CHECK (duration_seconds > 0),
  completed        boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (episode_id, content_id) REFERENCES episodes (id, series_id) ON DELETE CASCADE,
  -- The API clamps; a position past the end is a client bug, not data.
  CONSTRAINT watch_history_position_within_duration CHECK (position_seconds <= duration_seconds),
  CONSTRAINT watch_history_item_unique UNIQUE NULLS NOT DISTINCT (profile_id, content_id, episode_id)
);
CREATE TRIGGER watch_history_updated_at BEFORE UPDATE ON watch_history
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- "Continue watching": a profile's unfinished items, most recent first.
CREATE INDEX watch_history_continue_idx ON watch_history (profile_id, updated_at DESC) WHERE NOT completed;
-- Full history pages with an (updated_at, id) cursor.
CREATE INDEX watch_history_by_profile_idx ON watch_history (profile_id, updated_at DESC, id DESC);
-- Serves the cascades when an episode or a title is deleted.
CREATE INDEX watch_history_by_episode_idx ON watch_history (episode_id) WHERE episode_id IS NOT NULL;
CREATE INDEX watch_history_by_content_idx ON watch_history (content_id);

CREATE TABLE watchlist (
  profile_id uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  content_id uuid NOT NULL REFERENCES content (id) ON DELETE CASCADE,
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (profile_id, content_id)
);
-- "My list", newest first with an (added_at, content_id) cursor.
CREATE INDEX watchlist_by_profile_idx ON watchlist (profile_id, added_at DESC, content_id DESC);
-- Serves the cascade when a title is deleted.
CREATE INDEX watchlist_by_content_idx ON watchlist (content_id);
