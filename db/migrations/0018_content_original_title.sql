-- A title's name as released in its original language ("Amélie" is
-- "Le Fabuleux Destin d'Amélie Poulain"), searched beside the fa/en
-- translations: viewers type the name they know. Optional: for Persian and
-- English originals it is usually the same as a translation.
ALTER TABLE content
  ADD COLUMN original_title text CHECK (length(btrim(original_title)) BETWEEN 1 AND 300),
  ADD COLUMN original_title_search text GENERATED ALWAYS AS (normalize_search_text(original_title)) STORED;

CREATE INDEX content_original_title_trgm_idx ON content USING gin (original_title_search gin_trgm_ops) WHERE original_title IS NOT NULL;
