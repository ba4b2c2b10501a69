-- Background-job bookkeeping and the admin audit log.

-- One row per background job, for the product's own views (progress bars,
-- admin job lists, "why did this transcode fail"). pg-boss owns delivery
-- (claiming, retries, heartbeats) in its own schema and deletes finished jobs
-- after their retention; this row outlives that. id is the pg-boss job id, set
-- by the enqueuer (db/sql/jobs.ts) so both rows are written in one batch.
-- There is no foreign key into pgboss: its schema is installed after these
-- migrations and is pg-boss's to change; enqueueJob checks the queue instead.
CREATE TABLE jobs (
  id           uuid PRIMARY KEY,
  queue        text NOT NULL CHECK (queue ~ '^[a-z][a-z0-9_-]{0,49}$'),
  type         text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_.-]{0,99}$'),
  subject_type text NOT NULL CHECK (subject_type ~ '^[a-z][a-z0-9_-]{0,49}$'),
  -- Text, not uuid: some subjects are not rows (e.g. 'system' / 'temp-dir').
  subject_id   text NOT NULL CHECK (length(subject_id) BETWEEN 1 AND 200),
  -- queued: waiting for a worker, including between retries.
  status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
  payload      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
  -- The attempt that last started, 1-based.
  attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  progress     smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  step         text CHECK (length(step) BETWEEN 1 AND 200),
  -- The last attempt's error, kept while a retry runs.
  error        text CHECK (length(error) BETWEEN 1 AND 2000),
  created_at   timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  finished_at  timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT jobs_finished_iff_terminal CHECK ((status IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
  CONSTRAINT jobs_running_has_start CHECK (status <> 'running' OR started_at IS NOT NULL),
  CONSTRAINT jobs_failed_has_error CHECK (status <> 'failed' OR error IS NOT NULL)
);
CREATE TRIGGER jobs_updated_at BEFORE UPDATE ON jobs
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- "Jobs of this video asset", newest first.
CREATE INDEX jobs_by_subject_idx ON jobs (subject_type, subject_id, created_at DESC);
-- Admin job lists, all or by status, with a (created_at, id) cursor.
CREATE INDEX jobs_recent_idx ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_by_status_idx ON jobs (status, created_at DESC, id DESC);
-- Pruning finished rows after their retention.
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;

-- What an editor or admin changed, with the row before and after. The actor
-- is a plain uuid, not a foreign key: the log must outlive the account and
-- must never block deleting one. Rows are never edited (trigger below);
-- deleting old rows for retention is allowed.
CREATE TABLE audit_log (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  at            timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid,
  -- 'content.publish', 'user.disable', 'video_asset.replace_source', ...
  action        text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$' AND length(action) <= 100),
  entity_type   text NOT NULL CHECK (entity_type ~ '^[a-z][a-z0-9_-]{0,49}$'),
  entity_id     text NOT NULL CHECK (length(entity_id) BETWEEN 1 AND 200),
  before        jsonb,
  after         jsonb,
  request_id    text CHECK (length(request_id) BETWEEN 1 AND 200)
);
CREATE INDEX audit_log_by_entity_idx ON audit_log (entity_type, entity_id, at DESC);
CREATE INDEX audit_log_by_actor_idx ON audit_log (actor_user_id, at DESC) WHERE actor_user_id IS NOT NULL;
CREATE INDEX audit_log_recent_idx ON audit_log (at DESC, id DESC);

CREATE FUNCTION reject_audit_log_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log rows are append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION reject_audit_log_update();
