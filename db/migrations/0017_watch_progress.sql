-- Watch progress arrives as player heartbeats, buffered in Redis and flushed
-- to watch_history in batches (edge/src/services/viewing/). So that a late or
-- retried flush can never undo something newer:
-- - watched_at is when the player reported the position (not when a flush
--   ran; updated_at is the row's own bookkeeping), and an upsert only moves a
--   row forward in watched_at;
-- - hidden_at is a tombstone left by "remove from history": only a heartbeat
--   newer than it brings the item back;
-- - watch_history_clears remembers "clear history", so buffered heartbeats
--   from before the clear are dropped by the flush.
ALTER TABLE watch_history
  ADD COLUMN watched_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN hidden_at timestamptz;

CREATE TABLE watch_history_clears (
  profile_id uuid PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
  cleared_at timestamptz NOT NULL
);

-- History pages and "continue watching": a profile's visible items, newest first.
CREATE INDEX watch_history_recent_idx ON watch_history (profile_id, watched_at DESC, id DESC) WHERE hidden_at IS NULL;
