-- The images a transcode produces for a version: a poster frame and the
-- storyboard (WebVTT thumbnails track over sprite sheets) for scrubbing previews.
-- Keys are inside the version's storage_prefix like every other output.
ALTER TABLE video_asset_versions
  ADD COLUMN poster_key text CHECK (length(poster_key) BETWEEN 1 AND 1024),
  ADD COLUMN storyboard_key text CHECK (length(storyboard_key) BETWEEN 1 AND 1024);
