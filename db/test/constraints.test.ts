// The schema's own guarantees: keys, CHECKs and the deferred publishing rule.
// Each test builds the rows it needs with fresh ids.
import { describe, expect, it } from 'vitest';
import { expectPgError, useTempDatabase } from './helpers/databases.ts';

const t = useTempDatabase();

const q = (text: string, params: unknown[] = []) => t.client.query(text, params);
const id = () => crypto.randomUUID();

/** A draft title of the given type. */
async function title(type: 'movie' | 'series'): Promise<string> {
  const contentId = id();
  await q(`INSERT INTO content (id, type, original_language) VALUES ($1, $2, 'fa')`, [contentId, type]);
  return contentId;
}

async function season(seriesId: string, number = 1): Promise<string> {
  const seasonId = id();
  await q('INSERT INTO seasons (id, series_id, season_number) VALUES ($1, $2, $3)', [seasonId, seriesId, number]);
  return seasonId;
}

async function episode(seriesId: string, seasonId: string, number = 1): Promise<string> {
  const episodeId = id();
  await q('INSERT INTO episodes (id, season_id, series_id, episode_number) VALUES ($1, $2, $3, $4)', [episodeId, seasonId, seriesId, number]);
  return episodeId;
}

async function profile(): Promise<string> {
  const userId = id();
  const profileId = id();
  await q('INSERT INTO users (id, phone) VALUES ($1, $2)', [userId, `+98912${Math.floor(1e6 + Math.random() * 8e6)}`]);
  await q(`INSERT INTO profiles (id, user_id, name) VALUES ($1, $2, 'test')`, [profileId, userId]);
  return profileId;
}

describe('series, seasons and episodes', () => {
  it('keeps episode numbers unique within a season, not across seasons', async () => {
    const series = await title('series');
    const s1 = await season(series, 1);
    const s2 = await season(series, 2);
    await episode(series, s1, 1);
    await episode(series, s2, 1);
    await expectPgError(episode(series, s1, 1), '23505', 'episodes_number_unique');
  });

  it('keeps season numbers unique within a series', async () => {
    const series = await title('series');
    await season(series, 1);
    await expectPgError(season(series, 1), '23505', 'seasons_number_unique');
  });

  it('refuses a season under a movie, and an episode whose series is not its season\'s', async () => {
    const movie = await title('movie');
    await expectPgError(season(movie), '23503');
    const seriesA = await title('series');
    const seriesB = await title('series');
    const seasonA = await season(seriesA);
    await expectPgError(episode(seriesB, seasonA), '23503');
  });
});

describe('video assets', () => {
  const insertAsset = (owner: { movie?: string; episode?: string; trailerOf?: string }) =>
    q('INSERT INTO video_assets (movie_id, episode_id, trailer_of_content_id) VALUES ($1, $2, $3) RETURNING kind', [
      owner.movie ?? null,
      owner.episode ?? null,
      owner.trailerOf ?? null,
    ]);

  it('belongs to exactly one owner', async () => {
    const movie = await title('movie');
    const series = await title('series');
    const ep = await episode(series, await season(series));
    await expectPgError(insertAsset({ movie, episode: ep }), '23514', 'video_assets_one_owner');
    await expectPgError(insertAsset({}), '23514', 'video_assets_one_owner');
    expect((await insertAsset({ movie })).rows).toEqual([{ kind: 'movie' }]);
    expect((await insertAsset({ episode: ep })).rows).toEqual([{ kind: 'episode' }]);
    expect((await insertAsset({ trailerOf: series })).rows).toEqual([{ kind: 'trailer' }]);
  });

  it('takes a feature only for a movie, and one per movie', async () => {
    const series = await title('series');
    await expectPgError(insertAsset({ movie: series }), '23503');
    const movie = await title('movie');
    await insertAsset({ movie });
    await expectPgError(insertAsset({ movie }), '23505', 'video_assets_movie_unique');
  });

  it('keeps progress within 0-100 and requires a reason to fail', async () => {
    const movie = await title('movie');
    const { rows } = await q(`INSERT INTO video_assets (movie_id) VALUES ($1) RETURNING id`, [movie]);
    const assetId = rows[0].id;
    await expectPgError(q('UPDATE video_assets SET progress = 101 WHERE id = $1', [assetId]), '23514');
    await expectPgError(q(`UPDATE video_assets SET status = 'failed', source_key = 'k' WHERE id = $1`, [assetId]), '23514', 'video_assets_failed_has_reason');
    await expectPgError(q(`UPDATE video_assets SET status = 'transcoding' WHERE id = $1`, [assetId]), '23514');
  });

  it('cannot publish a version that does not exist, nor delete the published one', async () => {
    const movie = await title('movie');
    const { rows } = await q(`INSERT INTO video_assets (movie_id, status, source_key) VALUES ($1, 'ready', 'src/1') RETURNING id`, [movie]);
    const assetId = rows[0].id;
    await expectPgError(q('UPDATE video_assets SET published_version = 1 WHERE id = $1', [assetId]), '23503');
    await q(`INSERT INTO video_asset_versions (asset_id, version, source_key, storage_prefix, ready_at) VALUES ($1, 1, 'src/1', 'assets/x/v1/', now())`, [assetId]);
    await q('UPDATE video_assets SET published_version = 1 WHERE id = $1', [assetId]);
    await expectPgError(q('DELETE FROM video_asset_versions WHERE asset_id = $1', [assetId]), '23503');
  });
});

describe('watch history and watchlist', () => {
  const record = (profileId: string, contentId: string, episodeId: string | null, position: number, duration = 3600) =>
    q('INSERT INTO watch_history (profile_id, content_id, episode_id, position_seconds, duration_seconds) VALUES ($1, $2, $3, $4, $5)', [
      profileId,
      contentId,
      episodeId,
      position,
      duration,
    ]);

  it('rejects negative positions and positions past the end', async () => {
    const p = await profile();
    const movie = await title('movie');
    await expectPgError(record(p, movie, null, -1), '23514');
    await expectPgError(record(p, movie, null, 3601), '23514', 'watch_history_position_within_duration');
  });

  it('keeps one row per profile and item, a movie (no episode) included', async () => {
    const p = await profile();
    const movie = await title('movie');
    await record(p, movie, null, 10);
    await expectPgError(record(p, movie, null, 20), '23505', 'watch_history_item_unique');
    const series = await title('series');
    const s = await season(series);
    const e1 = await episode(series, s, 1);
    const e2 = await episode(series, s, 2);
    await record(p, series, e1, 10);
    await record(p, series, e2, 10);
    await expectPgError(record(p, series, e1, 30), '23505', 'watch_history_item_unique');
  });

  it('refuses an episode recorded under another series', async () => {
    const p = await profile();
    const seriesA = await title('series');
    const seriesB = await title('series');
    const ep = await episode(seriesA, await season(seriesA));
    await expectPgError(record(p, seriesB, ep, 10), '23503');
  });

  it('lists a title once per profile', async () => {
    const p = await profile();
    const movie = await title('movie');
    await q('INSERT INTO watchlist (profile_id, content_id) VALUES ($1, $2)', [p, movie]);
    await expectPgError(q('INSERT INTO watchlist (profile_id, content_id) VALUES ($1, $2)', [p, movie]), '23505');
  });
});

describe('publishing', () => {
  const translate = (contentId: string, lang: string) =>
    q('INSERT INTO content_translations (content_id, lang, title) VALUES ($1, $2, $3)', [contentId, lang, `title ${lang}`]);

  async function inTransaction(fn: () => Promise<unknown>): Promise<void> {
    await q('BEGIN');
    try {
      await fn();
      await q('COMMIT');
    } catch (err) {
      await q('ROLLBACK');
      throw err;
    }
  }

  it('refuses to publish a title without both fa and en, checked at commit', async () => {
    const movie = await title('movie');
    await translate(movie, 'en');
    await expectPgError(
      q(`UPDATE content SET status = 'published', published_at = now(), year = 2024 WHERE id = $1`, [movie]),
      '23514',
      'content_requires_fa_en',
    );
    // Same transaction, any order: the rule only looks at the committed result.
    await inTransaction(async () => {
      await q(`UPDATE content SET status = 'published', published_at = now(), year = 2024 WHERE id = $1`, [movie]);
      await translate(movie, 'fa');
    });
    await expectPgError(q(`DELETE FROM content_translations WHERE content_id = $1 AND lang = 'fa'`, [movie]), '23514', 'content_requires_fa_en');
  });

  it('needs publish_at to schedule and a year to list', async () => {
    const movie = await title('movie');
    await translate(movie, 'en');
    await translate(movie, 'fa');
    await expectPgError(q(`UPDATE content SET status = 'scheduled', year = 2024 WHERE id = $1`, [movie]), '23514', 'content_scheduled_has_publish_at');
    await expectPgError(q(`UPDATE content SET status = 'scheduled', publish_at = now() WHERE id = $1`, [movie]), '23514', 'content_listed_has_year');
  });

  it('applies the same rule to episodes', async () => {
    const series = await title('series');
    const ep = await episode(series, await season(series));
    await expectPgError(
      q(`UPDATE episodes SET status = 'published', published_at = now() WHERE id = $1`, [ep]),
      '23514',
      'episode_requires_fa_en',
    );
  });
});

describe('accounts and billing', () => {
  it('identifies users by a valid E.164 phone or a case-insensitively unique email', async () => {
    await expectPgError(q('INSERT INTO users (id) VALUES ($1)', [id()]), '23514', 'users_identified');
    await expectPgError(q(`INSERT INTO users (phone) VALUES ('09120000000')`), '23514');
    const email = `Someone.${id()}@Example.com`;
    await q('INSERT INTO users (email) VALUES ($1)', [email]);
    await expectPgError(q('INSERT INTO users (email) VALUES ($1)', [email.toLowerCase()]), '23505');
  });

  it('caps kids profiles at 12+', async () => {
    const userId = id();
    await q('INSERT INTO users (id, email) VALUES ($1, $2)', [userId, `${userId}@example.com`]);
    await expectPgError(
      q(`INSERT INTO profiles (user_id, name, is_kids, maturity_cap) VALUES ($1, 'kids', true, 18)`, [userId]),
      '23514',
      'profiles_kids_capped',
    );
  });

  it('stores a webhook event once, so redelivery is a no-op', async () => {
    const eventId = `evt_${id()}`;
    const insert = () =>
      q(
        `INSERT INTO payment_events (provider, provider_event_id, type, payload) VALUES ('stripe', $1, 'invoice.paid', '{}')
         ON CONFLICT (provider, provider_event_id) DO NOTHING RETURNING id`,
        [eventId],
      );
    expect((await insert()).rowCount).toBe(1);
    expect((await insert()).rowCount).toBe(0);
  });

  it('allows one live subscription per user', async () => {
    const userId = id();
    await q('INSERT INTO users (id, email) VALUES ($1, $2)', [userId, `${userId}@example.com`]);
    const subscribe = () =>
      q(`INSERT INTO subscriptions (user_id, tier, status, provider, current_period_end) VALUES ($1, 'basic', 'active', 'manual', now() + interval '30 days')`, [userId]);
    await subscribe();
    await expectPgError(subscribe(), '23505', 'subscriptions_one_live_per_user');
    await expectPgError(
      q(`INSERT INTO subscriptions (user_id, tier, status, provider, current_period_end) VALUES ($1, 'gold', 'expired', 'manual', now())`, [userId]),
      '23503',
    );
  });
});

describe('audit log', () => {
  it('is append-only', async () => {
    const { rows } = await q(`INSERT INTO audit_log (action, entity_type, entity_id, after) VALUES ('content.publish', 'content', $1, '{}') RETURNING id`, [id()]);
    await expectPgError(q(`UPDATE audit_log SET action = 'content.delete' WHERE id = $1`, [rows[0].id]), '42501');
  });
});
