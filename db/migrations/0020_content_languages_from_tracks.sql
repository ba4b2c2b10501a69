-- content.audio_languages / subtitle_languages (the browse and search
-- "language" filter) were only ever filled by the seed. They now follow the
-- published videos: whenever an asset's published version changes, its
-- title's languages are recomputed from the audio and subtitle tracks of
-- every published feature video of that title (a movie's own video, or all
-- episodes of a series; trailers do not count). A trigger, so every path that
-- publishes (the worker's ready step, a retry, a replacement, SQL by hand)
-- keeps them right.
-- Probed audio tracks carry ISO 639-2 codes (eng, fas); the catalog speaks
-- ISO 639-1 (en, fa) like the manifests and subtitle tracks. Codes without a
-- two-letter form stay as they are.
CREATE FUNCTION iso639_1(code text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE lower(code)
    WHEN 'eng' THEN 'en' WHEN 'fas' THEN 'fa' WHEN 'per' THEN 'fa' WHEN 'ara' THEN 'ar'
    WHEN 'tur' THEN 'tr' WHEN 'aze' THEN 'az' WHEN 'kur' THEN 'ku' WHEN 'urd' THEN 'ur'
    WHEN 'hin' THEN 'hi' WHEN 'fra' THEN 'fr' WHEN 'fre' THEN 'fr' WHEN 'deu' THEN 'de'
    WHEN 'ger' THEN 'de' WHEN 'spa' THEN 'es' WHEN 'ita' THEN 'it' WHEN 'por' THEN 'pt'
    WHEN 'rus' THEN 'ru' WHEN 'jpn' THEN 'ja' WHEN 'kor' THEN 'ko' WHEN 'zho' THEN 'zh'
    WHEN 'chi' THEN 'zh' WHEN 'nld' THEN 'nl' WHEN 'dut' THEN 'nl' WHEN 'swe' THEN 'sv'
    WHEN 'pol' THEN 'pl' WHEN 'ukr' THEN 'uk' WHEN 'heb' THEN 'he' WHEN 'hye' THEN 'hy'
    WHEN 'arm' THEN 'hy' WHEN 'kat' THEN 'ka' WHEN 'geo' THEN 'ka' WHEN 'pus' THEN 'ps'
    WHEN 'tgk' THEN 'tg' WHEN 'uzb' THEN 'uz' WHEN 'kaz' THEN 'kk' WHEN 'ind' THEN 'id'
    ELSE lower(code) END
$$;

CREATE FUNCTION refresh_content_languages(target uuid) RETURNS void
LANGUAGE sql AS $$
  WITH published AS (
    SELECT va.id, va.published_version AS version FROM video_assets va
    WHERE va.published_version IS NOT NULL
      AND (va.movie_id = target OR va.episode_id IN (SELECT e.id FROM episodes e WHERE e.series_id = target))
  )
  UPDATE content c SET
    audio_languages = COALESCE((SELECT array_agg(DISTINCT iso639_1(a.lang) ORDER BY iso639_1(a.lang)) FROM published p JOIN audio_tracks a ON a.asset_id = p.id AND a.version = p.version), '{}'),
    subtitle_languages = COALESCE((SELECT array_agg(DISTINCT iso639_1(s.lang) ORDER BY iso639_1(s.lang)) FROM published p JOIN subtitle_tracks s ON s.asset_id = p.id AND s.version = p.version), '{}')
  WHERE c.id = target
$$;

CREATE FUNCTION video_assets_refresh_languages() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_content_languages(COALESCE(NEW.movie_id, (SELECT e.series_id FROM episodes e WHERE e.id = NEW.episode_id)));
  RETURN NULL;
END $$;

CREATE TRIGGER video_assets_languages
  AFTER INSERT OR UPDATE OF published_version ON video_assets
  FOR EACH ROW
  WHEN (NEW.published_version IS NOT NULL AND (NEW.movie_id IS NOT NULL OR NEW.episode_id IS NOT NULL))
  EXECUTE FUNCTION video_assets_refresh_languages();
