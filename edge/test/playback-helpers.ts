// Catalog rows and viewers for playback tests: titles with a transcoded,
// published video (rows in Postgres, files in the test bucket), and accounts on
// a given plan with a token that carries it.
import { sql } from '../../db/sql/statement.ts';
import { api, signInByPhone, subscribe, testDb, type Tokens } from './auth-helpers.ts';
import { storeAsset } from './media-helpers.ts';

export type Tier = 'free' | 'basic' | 'standard' | 'premium';

export interface Title {
  contentId: string;
  assetId: string | null;
  episodeId?: string;
  trailerAssetId?: string;
}

interface TitleOptions {
  status?: 'draft' | 'published' | 'scheduled';
  maturity?: 0 | 7 | 12 | 15 | 18;
  /** 'none': no video asset; 'processing': a first version not playable yet; 'playable': first rung out, not ready. */
  video?: 'published' | 'none' | 'processing' | 'playable';
  trailer?: boolean;
}

async function insertContent(type: 'movie' | 'series', o: TitleOptions): Promise<string> {
  const id = crypto.randomUUID();
  const status = o.status ?? 'published';
  await testDb().batch([
    sql(
      `INSERT INTO content (id, type, status, publish_at, published_at, year, maturity_rating, original_language)
       VALUES ($1, $2, $3, CASE WHEN $3 = 'scheduled' THEN now() + interval '1 day' END, CASE WHEN $3 = 'published' THEN now() END, 2024, $4, 'fa')`,
      [id, type, status, o.maturity ?? 12],
    ),
    sql(`INSERT INTO content_translations (content_id, lang, title) VALUES ($1, 'fa', $2), ($1, 'en', $3)`, [id, `فیلم ${id.slice(0, 8)}`, `Title ${id.slice(0, 8)}`]),
  ]);
  return id;
}

/** A video asset owned by `owner` (column = id), with version 1 in the given state and its files in the bucket. */
export async function insertVideo(owner: { column: 'movie_id' | 'episode_id' | 'trailer_of_content_id'; id: string }, state: NonNullable<TitleOptions['video']>): Promise<string> {
  const assetId = crypto.randomUUID();
  const status = state === 'published' ? 'ready' : state === 'processing' ? 'processing' : 'playable';
  const prefix = `assets/${assetId}/v1/`;
  await testDb().batch([
    sql(`INSERT INTO video_assets (id, ${owner.column}, status, source_key) VALUES ($1, $2, $3, $4)`, [assetId, owner.id, status, `uploads/${assetId}/v1/source`]),
    sql(
      `INSERT INTO video_asset_versions (asset_id, version, source_key, storage_prefix, duration_seconds, poster_key, storyboard_key, ready_at, published_at)
       VALUES ($1, 1, $2, $3, 120, $4, $5, CASE WHEN $6 THEN now() END, CASE WHEN $6 THEN now() END)`,
      [assetId, `uploads/${assetId}/v1/source`, prefix, `${prefix}images/poster.jpg`, `${prefix}images/storyboard/thumbnails.vtt`, state === 'published'],
    ),
    sql(`UPDATE video_assets SET published_version = CASE WHEN $2 THEN 1 END WHERE id = $1`, [assetId, state === 'published']),
    sql(`INSERT INTO subtitle_tracks (asset_id, version, lang, label, storage_key) VALUES ($1, 1, 'en', 'English', $2)`, [assetId, `uploads/${assetId}/subtitles/en.vtt`]),
  ]);
  if (state !== 'processing') await storeAsset(1, assetId);
  return assetId;
}

export async function movie(o: TitleOptions = {}): Promise<Title> {
  const contentId = await insertContent('movie', o);
  const video = o.video ?? 'published';
  const assetId = video === 'none' ? null : await insertVideo({ column: 'movie_id', id: contentId }, video);
  const trailerAssetId = o.trailer ? await insertVideo({ column: 'trailer_of_content_id', id: contentId }, 'published') : undefined;
  return { contentId, assetId, trailerAssetId };
}

/** A series with one season of `episodes` episodes (the first published unless told otherwise), the first with a video. */
export async function series(o: TitleOptions & { episodeStatus?: 'draft' | 'published'; episodes?: number } = {}): Promise<Title & { episodeIds: string[] }> {
  const contentId = await insertContent('series', o);
  const seasonId = crypto.randomUUID();
  const episodeIds = Array.from({ length: o.episodes ?? 1 }, () => crypto.randomUUID());
  const episodeStatus = o.episodeStatus ?? 'published';
  await testDb().batch([
    sql(`INSERT INTO seasons (id, series_id, season_number) VALUES ($1, $2, 1)`, [seasonId, contentId]),
    ...episodeIds.flatMap((episodeId, i) => [
      sql(
        `INSERT INTO episodes (id, season_id, series_id, episode_number, status, published_at) VALUES ($1, $2, $3, $5, $4, CASE WHEN $4 = 'published' THEN now() END)`,
        [episodeId, seasonId, contentId, i === 0 ? episodeStatus : 'published', i + 1],
      ),
      sql(`INSERT INTO episode_translations (episode_id, lang, title) VALUES ($1, 'fa', 'قسمت'), ($1, 'en', 'Episode')`, [episodeId]),
    ]),
  ]);
  const episodeId = episodeIds[0]!;
  const assetId = await insertVideo({ column: 'episode_id', id: episodeId }, o.video ?? 'published');
  return { contentId, assetId, episodeId, episodeIds };
}

/** Switches the account behind `token` to a new kids profile capped at `cap`; its access token. */
export async function kidsProfile(token: string, userId: string, cap: 0 | 7 | 12): Promise<string> {
  const [row] = await testDb().run(sql<{ id: string }>(`INSERT INTO profiles (user_id, name, is_kids, maturity_cap) VALUES ($1, 'Kids', true, $2) RETURNING id`, [userId, cap]));
  const res = await api('/auth/session/profile', { method: 'PUT', token, body: { profileId: row!.id } });
  if (res.status !== 200) throw new Error(`profile switch answered ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** A premium viewer on a kids profile capped at `cap`; its access token. */
export async function kidsViewer(cap: 0 | 7 | 12 = 7): Promise<string> {
  const v = await viewerWithProfile();
  return kidsProfile(v.token, v.userId, cap);
}

/** A premium viewer with an active (adult) profile: history and progress need one. */
export async function viewerWithProfile(): Promise<{ token: string; userId: string; profileId: string }> {
  const v = await viewerOn('premium');
  const [row] = await testDb().run(sql<{ id: string }>(`INSERT INTO profiles (user_id, name) VALUES ($1, 'Main') RETURNING id`, [v.user.id]));
  const res = await api('/auth/session/profile', { method: 'PUT', token: v.accessToken, body: { profileId: row!.id } });
  return { token: ((await res.json()) as { accessToken: string }).accessToken, userId: v.user.id, profileId: row!.id };
}

/** A signed-in viewer on `tier`, with an access token that carries the plan (refreshed after subscribing). */
export async function viewerOn(tier: Tier, role: 'viewer' | 'editor' = 'viewer'): Promise<Tokens & { phone: string }> {
  const s = await signInByPhone();
  if (role !== 'viewer') await testDb().run(sql(`UPDATE users SET role = $2 WHERE id = $1`, [s.user.id, role]));
  if (tier !== 'free') await subscribe(s.user.id, tier);
  const res = await api('/auth/token/refresh', { body: { refreshToken: s.refreshToken } });
  if (res.status !== 200) throw new Error(`refresh answered ${res.status}`);
  return { ...s, ...((await res.json()) as Tokens) };
}

export const play = (token: string, body: Record<string, unknown>) => api('/playback', { token, body });
