// Catalog browse filters, cursor walks and home rails (issue 4): each filter
// really filters, a cursor walk returns every match once in order, and the
// home rails (new, most watched this week, per genre) respect a kids cap.
// Every test scopes itself with a genre of its own, so titles other test
// files create meanwhile never enter its assertions.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { bumpCatalogVersion } from '../src/services/catalog/cache.ts';
import { testDb, testRedis } from './auth-helpers.ts';
import { call } from './helpers.ts';
import { movie, series, viewerWithProfile, kidsViewer } from './playback-helpers.ts';

interface Card {
  id: string;
  type: string;
  year: number;
  maturityRating: number;
  genres: string[];
}

const get = async (path: string, token?: string) => {
  const headers: Record<string, string> = { 'CF-Connecting-IP': '198.51.100.21' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return call(`/api/v1${path}`, { headers });
};

async function genre(): Promise<string> {
  const slug = `g-${crypto.randomUUID().slice(0, 8)}`;
  await testDb().run(sql(`INSERT INTO genres (slug, name_fa, name_en) VALUES ($1, 'ژانر', 'Genre')`, [slug]));
  return slug;
}

/** A published title in `genre` with the given attributes, live `ageSeconds` ago. */
async function titleIn(g: string, o: { type?: 'movie' | 'series'; year?: number; maturity?: 0 | 7 | 12 | 15 | 18; lang?: string; audio?: string[]; subtitles?: string[]; ageSeconds?: number }): Promise<string> {
  const { contentId } = o.type === 'series' ? await series({ maturity: o.maturity ?? 0 }) : await movie({ video: 'none', maturity: o.maturity ?? 0 });
  await testDb().batch([
    sql(
      `UPDATE content SET year = $2, original_language = $3, audio_languages = $4, subtitle_languages = $5, published_at = now() - make_interval(secs => $6) WHERE id = $1`,
      [contentId, o.year ?? 2020, o.lang ?? 'fa', o.audio ?? [], o.subtitles ?? [], o.ageSeconds ?? 0],
    ),
    sql(`INSERT INTO content_genres (content_id, genre_id) SELECT $1, id FROM genres WHERE slug = $2`, [contentId, g]),
  ]);
  return contentId;
}


const ids = async (path: string, token?: string) => {
  const res = await get(path, token);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Card[] }).items.map((i) => i.id);
};

describe('catalog browse filters', () => {
  it('filters by type, year range, language (original, audio or subtitle) and maturity, alone and together', async () => {
    const g = await genre();
    const faMovie2010 = await titleIn(g, { year: 2010, lang: 'fa', maturity: 0, ageSeconds: 50 });
    const enMovie2015 = await titleIn(g, { year: 2015, lang: 'en', maturity: 12, ageSeconds: 40 });
    const faSeries2020Dubbed = await titleIn(g, { type: 'series', year: 2020, lang: 'fa', audio: ['fa', 'en'], maturity: 15, ageSeconds: 30 });
    const frMovie2022Subbed = await titleIn(g, { year: 2022, lang: 'fr', subtitles: ['fa'], maturity: 7, ageSeconds: 20 });
    const v = await viewerWithProfile();
    const q = (filters: string) => ids(`/catalog?genre=${g}&limit=50${filters}`, v.token);

    expect(await q('')).toEqual([frMovie2022Subbed, faSeries2020Dubbed, enMovie2015, faMovie2010]); // newest first
    expect(await q('&type=series')).toEqual([faSeries2020Dubbed]);
    expect(await q('&type=movie')).toEqual([frMovie2022Subbed, enMovie2015, faMovie2010]);
    expect(await q('&yearFrom=2015&yearTo=2020')).toEqual([faSeries2020Dubbed, enMovie2015]);
    expect(await q('&yearFrom=2021')).toEqual([frMovie2022Subbed]);
    expect(await q('&yearTo=2010')).toEqual([faMovie2010]);
    // English: the English original and the series dubbed into English.
    expect(await q('&language=en')).toEqual([faSeries2020Dubbed, enMovie2015]);
    // Persian: originals, and the French film with Persian subtitles.
    expect(await q('&language=fa')).toEqual([frMovie2022Subbed, faSeries2020Dubbed, faMovie2010]);
    expect(await q('&language=de')).toEqual([]);
    expect(await q('&maturity=7')).toEqual([frMovie2022Subbed, faMovie2010]);
    expect(await q('&maturity=0')).toEqual([faMovie2010]);
    expect(await q('&type=movie&language=fa&maturity=7')).toEqual([frMovie2022Subbed, faMovie2010]);
  });

  it('lists in the asked language, a missing synopsis falling back to the other one, on browse and home alike', async () => {
    // Published titles always have both titles (the database insists); synopses are optional.
    const g = await genre();
    const both = await titleIn(g, { ageSeconds: 20 });
    const persianSynopsisOnly = await titleIn(g, { ageSeconds: 10 });
    await testDb().batch([
      sql(`UPDATE content_translations SET synopsis = CASE lang WHEN 'fa' THEN 'خلاصه' ELSE 'Synopsis' END WHERE content_id = $1`, [both]),
      sql(`UPDATE content_translations SET synopsis = CASE lang WHEN 'fa' THEN 'فقط فارسی' END WHERE content_id = $1`, [persianSynopsisOnly]),
    ]);
    const v = await viewerWithProfile();
    const get = (path: string, headers: Record<string, string> = {}) => call(`/api/v1${path}`, { headers: { 'CF-Connecting-IP': '198.51.100.21', Authorization: `Bearer ${v.token}`, ...headers } });
    type Item = { id: string; title: string; titleLang: string; synopsis: string | null };
    const page = async (query: string, headers: Record<string, string> = {}) => {
      const res = await get(`/catalog?genre=${g}${query}`, headers);
      expect(res.status).toBe(200);
      return { language: res.headers.get('Content-Language'), body: (await res.json()) as { lang: string; items: Item[] } };
    };
    const en = await page('&lang=en');
    expect(en.language).toBe('en');
    expect(en.body.items.map((i) => [i.id, i.titleLang, i.title.startsWith('Title '), i.synopsis])).toEqual([
      [persianSynopsisOnly, 'en', true, 'فقط فارسی'],
      [both, 'en', true, 'Synopsis'],
    ]);
    // Accept-Language picks the language when ?lang= is absent; Persian is the default.
    expect((await page('', { 'Accept-Language': 'en-US,en;q=0.8' })).body.lang).toBe('en');
    const fa = await page('');
    expect(fa.language).toBe('fa');
    expect(fa.body.items.map((i) => [i.title.startsWith('فیلم '), i.synopsis])).toEqual([[true, 'فقط فارسی'], [true, 'خلاصه']]);
    await bumpCatalogVersion(testRedis());
    const home = (await (await get('/catalog/home?lang=en')).json()) as { lang: string; rails: { id: string; items: Item[] }[] };
    expect(home.lang).toBe('en');
    expect(home.rails.find((r) => r.id === `genre:${g}`)!.items.map((i) => [i.id, i.synopsis])).toEqual([[persianSynopsisOnly, 'فقط فارسی'], [both, 'Synopsis']]);
  });

  it('walks every match exactly once, newest first, with a cursor; the last page has no cursor', async () => {
    const g = await genre();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await titleIn(g, { ageSeconds: 100 - i * 10 }));
    // Two titles live at the same instant: the id breaks the tie, so neither is skipped nor repeated.
    const same = [await titleIn(g, { ageSeconds: 200 }), await titleIn(g, { ageSeconds: 200 })];
    await testDb().run(sql(`UPDATE content SET published_at = (SELECT published_at FROM content WHERE id = $1) WHERE id = $2`, [same[0], same[1]]));
    const v = await viewerWithProfile();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/catalog?genre=${g}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, v.token);
      const page = (await res.json()) as { items: Card[]; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toEqual([...made.reverse(), ...same.sort().reverse()]);
  });
});

describe('home rails', () => {
  const rails = async (token?: string) => {
    // Rails are cached for every reader: start from what the database says now.
    await bumpCatalogVersion(testRedis());
    const res = await get('/catalog/home?lang=en', token);
    expect(res.status).toBe(200);
    return ((await res.json()) as { rails: { id: string; kind: string; genre?: string; items: Card[] }[] }).rails;
  };

  it('has a rail per genre, and most watched this week counts distinct profiles of the last 7 days only', async () => {
    const g = await genre();
    const popular = await titleIn(g, { maturity: 0 });
    const longAgo = await titleIn(g, { maturity: 0 });
    const viewers = await Promise.all(Array.from({ length: 6 }, () => viewerWithProfile()));
    await testDb().batch(
      viewers.flatMap((v) => [
        sql(`INSERT INTO watch_history (profile_id, content_id, position_seconds, duration_seconds, watched_at) VALUES ($1, $2, 60, 600, now() - interval '1 day')`, [v.profileId, popular]),
        sql(`INSERT INTO watch_history (profile_id, content_id, position_seconds, duration_seconds, watched_at) VALUES ($1, $2, 60, 600, now() - interval '8 days')`, [v.profileId, longAgo]),
      ]),
    );
    const home = await rails(viewers[0]!.token);
    const byGenre = home.find((r) => r.id === `genre:${g}`);
    expect(byGenre).toMatchObject({ kind: 'genre', genre: g });
    expect(byGenre!.items.map((i) => i.id).sort()).toEqual([popular, longAgo].sort());
    const mostWatched = home.find((r) => r.kind === 'most_watched_week')!.items.map((i) => i.id);
    expect(mostWatched).toContain(popular);
    expect(mostWatched).not.toContain(longAgo);
  });

  it('shows a kids profile nothing above its cap in any rail', async () => {
    const g = await genre();
    const forKids = await titleIn(g, { maturity: 0 });
    const grownUp = await titleIn(g, { maturity: 15 });
    const watcher = await viewerWithProfile();
    await testDb().run(sql(`INSERT INTO watch_history (profile_id, content_id, position_seconds, duration_seconds) VALUES ($1, $2, 60, 600)`, [watcher.profileId, grownUp]));
    const kids = await rails(await kidsViewer(7));
    const all = kids.flatMap((r) => r.items);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((i) => i.maturityRating <= 7)).toBe(true);
    expect(kids.find((r) => r.id === `genre:${g}`)!.items.map((i) => i.id)).toEqual([forKids]);
    // Without the cap (the adult profile of the same test) both are there.
    const adult = await rails(watcher.token);
    expect(adult.find((r) => r.id === `genre:${g}`)!.items.map((i) => i.id).sort()).toEqual([forKids, grownUp].sort());
  });
});
