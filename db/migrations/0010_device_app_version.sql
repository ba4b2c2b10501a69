-- A device registers with its app version (issue 3: "name, platform, app
-- version"), shown in "my devices" and useful for support and for refusing
-- builds that are too old. NULL for rows registered before this column.
ALTER TABLE devices ADD COLUMN app_version text CHECK (length(app_version) BETWEEN 1 AND 50);
