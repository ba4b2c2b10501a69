// content.audio_languages / subtitle_languages follow the published videos
// (migration 0020): the browse and search "language" filter must work for
// titles made through the CMS and the pipeline, not only for the seed.
import { describe, expect, it } from 'vitest';
import { useTempDatabase } from './helpers/databases.ts';

const t = useTempDatabase();
const q = (text: string, params: unknown[] = []) => t.client.query(text, params);

async function content(type: 'movie' | 'series'): Promise<string> {
  const { rows } = await q(`INSERT INTO content (type, original_language) VALUES ($1, 'fa') RETURNING id`, [type]);
  return rows[0].id;
}

async function episode(seriesId: string, n: number): Promise<string> {
  const { rows: [s] } = await q(`INSERT INTO seasons (series_id, season_number) VALUES ($1, $2) ON CONFLICT (series_id, season_number) DO UPDATE SET season_number = EXCLUDED.season_number RETURNING id`, [seriesId, 1]);
  const { rows } = await q(`INSERT INTO episodes (season_id, series_id, episode_number) VALUES ($1, $2, $3) RETURNING id`, [s.id, seriesId, n]);
  return rows[0].id;
}

/** A video owned by `owner`, version `version` with the given tracks, published when `publish`. */
async function video(owner: { column: 'movie_id' | 'episode_id' | 'trailer_of_content_id'; id: string }, tracks: { audio: string[]; subtitles: string[] }, o: { assetId?: string; version?: number; publish?: boolean } = {}): Promise<string> {
  const version = o.version ?? 1;
  let assetId = o.assetId;
  if (!assetId) {
    ({ rows: [{ id: assetId }] } = await q(`INSERT INTO video_assets (${owner.column}, status, source_key) VALUES ($1, 'processing', 'uploads/x') RETURNING id`, [owner.id]));
  }
  await q(`INSERT INTO video_asset_versions (asset_id, version, source_key, storage_prefix, ready_at) VALUES ($1, $2, 'uploads/x', $3, now())`, [assetId, version, `assets/${assetId}/v${version}/`]);
  for (const lang of tracks.audio) await q(`INSERT INTO audio_tracks (asset_id, version, lang, codec, channels, storage_key) VALUES ($1, $2, $3, 'aac', 2, 'a')`, [assetId, version, lang]);
  for (const lang of tracks.subtitles) await q(`INSERT INTO subtitle_tracks (asset_id, version, lang, storage_key) VALUES ($1, $2, $3, 's')`, [assetId, version, lang]);
  if (o.publish !== false) await q(`UPDATE video_assets SET version = $2, status = 'ready', published_version = $2 WHERE id = $1`, [assetId, version]);
  return assetId!;
}

const languages = async (id: string) => (await q(`SELECT audio_languages AS audio, subtitle_languages AS subtitles FROM content WHERE id = $1`, [id])).rows[0];

describe('title languages from published videos', () => {
  it('takes a movie’s languages from its published version, and follows a replacement only once it is published', async () => {
    const movie = await content('movie');
    // Probed audio is ISO 639-2 (eng, fas): the catalog's filter speaks en, fa.
    const assetId = await video({ column: 'movie_id', id: movie }, { audio: ['fas', 'eng'], subtitles: ['en'] });
    expect(await languages(movie)).toEqual({ audio: ['en', 'fa'], subtitles: ['en'] });
    // A replacement still transcoding changes nothing; published, it replaces the languages.
    await video({ column: 'movie_id', id: movie }, { audio: ['fa'], subtitles: ['ar', 'fa'] }, { assetId, version: 2, publish: false });
    expect(await languages(movie)).toEqual({ audio: ['en', 'fa'], subtitles: ['en'] });
    await q(`UPDATE video_assets SET version = 2, published_version = 2 WHERE id = $1`, [assetId]);
    expect(await languages(movie)).toEqual({ audio: ['fa'], subtitles: ['ar', 'fa'] });
  });

  it('unites the published episodes of a series, and ignores trailers and unpublished videos', async () => {
    const show = await content('series');
    await video({ column: 'episode_id', id: await episode(show, 1) }, { audio: ['fa'], subtitles: ['en'] });
    await video({ column: 'episode_id', id: await episode(show, 2) }, { audio: ['fa', 'tr'], subtitles: [] });
    await video({ column: 'episode_id', id: await episode(show, 3) }, { audio: ['de'], subtitles: ['de'] }, { publish: false });
    await video({ column: 'trailer_of_content_id', id: show }, { audio: ['ru'], subtitles: ['ru'] });
    expect(await languages(show)).toEqual({ audio: ['fa', 'tr'], subtitles: ['en'] });
  });
});
