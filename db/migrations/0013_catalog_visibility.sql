-- One rule for "may a viewer see this", shared by browse, search, watchlist,
-- watch history and playback (issues 4 and 6), so they never disagree.
--
-- Scheduled content becomes visible the moment its publish_at passes, without
-- waiting for the housekeeping job that flips status to 'published' (that job
-- only tidies the row and stamps published_at). Reads therefore never depend
-- on a timer having run, and no deploy or cache flush is needed at publish time.
--
-- The functions read now(), so they are STABLE (not IMMUTABLE); being plain SQL
-- bodies without SET clauses they are inlined into the query, so the
-- partial browse indexes stay usable for the 'published' branch.

CREATE FUNCTION catalog_is_live(status text, publish_at timestamptz) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN status = 'published' OR (status = 'scheduled' AND publish_at <= now());

-- A profile with maturity_cap N sees content rated N or below; NULL cap means
-- no profile context (anonymous browse), which sees everything live.
CREATE FUNCTION catalog_is_visible(status text, publish_at timestamptz, maturity_rating smallint, maturity_cap smallint) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN catalog_is_live(status, publish_at) AND (maturity_cap IS NULL OR maturity_rating <= maturity_cap);

-- The moment a live row went live: published_at once the job has promoted it,
-- publish_at before that. Browse orders and paginates by this.
CREATE FUNCTION catalog_live_since(status text, publish_at timestamptz, published_at timestamptz) RETURNS timestamptz
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN CASE WHEN status = 'published' THEN published_at ELSE publish_at END;
