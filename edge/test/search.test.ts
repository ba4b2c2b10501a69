// Search, suggestions and the watchlist (issue 4).
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, testDb } from './auth-helpers.ts';
import { call, expectEnvelope } from './helpers.ts';
import { movie, viewerWithProfile, kidsProfile } from './playback-helpers.ts';

/** A published title with these fa/en titles (unique per test run through a tag), optionally a cast member. */
async function titled(fa: string, en: string, o: { maturity?: 0 | 12 | 18; status?: 'draft' | 'published'; actor?: { fa: string; en: string } } = {}): Promise<string> {
  const { contentId } = await movie({ video: 'none', maturity: o.maturity ?? 0, status: o.status });
  const statements = [
    sql(`UPDATE content_translations SET title = $2 WHERE content_id = $1 AND lang = 'fa'`, [contentId, fa]),
    sql(`UPDATE content_translations SET title = $2 WHERE content_id = $1 AND lang = 'en'`, [contentId, en]),
  ];
  if (o.actor) {
    const personId = crypto.randomUUID();
    statements.push(
      sql(`INSERT INTO people (id, name_fa, name_en) VALUES ($1, $2, $3)`, [personId, o.actor.fa, o.actor.en]),
      sql(`INSERT INTO content_credits (content_id, person_id, role) VALUES ($1, $2, 'actor')`, [contentId, personId]),
    );
  }
  await testDb().batch(statements);
  return contentId;
}

const search = async (q: string, extra = '', token?: string) => {
  const res = await call(`/api/v1/search?q=${encodeURIComponent(q)}${extra}`, { headers: { 'CF-Connecting-IP': '198.51.100.30', ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
  expect(res.status).toBe(200);
  return (await res.json()) as { total: number; items: { id: string; title: string }[]; facets: Record<string, { value: string; count: number }[]> };
};
const ids = async (q: string, extra = '', token?: string) => (await search(q, extra, token)).items.map((i) => i.id);

describe('search', () => {
  it('folds punctuation, spacing, a typo, accents and Persian letter variants', async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const spider = await titled(`مرد عنکبوتی ${tag}`, `Spider-Man ${tag}`);
    for (const q of [`spider man ${tag}`, `Spider-Man ${tag}`, `spidr man ${tag}`, `SPIDER MAN ${tag}`]) expect(await ids(q), q).toContain(spider);
    const amelie = await titled(`املی ${tag}`, `Amélie ${tag}`);
    expect(await ids(`amelie ${tag}`)).toContain(amelie);
    const persian = await titled(`کتاب یکی ${tag}`, `Book One ${tag}`);
    // Typed on an Arabic keyboard: ك for ک and ي for ی.
    expect(await ids(`كتاب يكي ${tag}`)).toContain(persian);
  });

  it('finds titles by cast name in both scripts, ranks exact titles first, and counts facets over the filtered matches', async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const exact = await titled(`طوفان ${tag}`, `Storm ${tag}`);
    const longer = await titled(`طوفان بزرگ ${tag}`, `The Big Storm Rising ${tag}`);
    const byActor = await titled(`فیلم دیگر ${tag}`, `Another Film ${tag}`, { actor: { fa: `نیلوفر ${tag}`, en: `Niloufar ${tag}` } });
    expect((await ids(`Storm ${tag}`))[0]).toBe(exact);
    expect(await ids(`Storm ${tag}`)).toContain(longer);
    expect(await ids(`niloufar ${tag}`)).toContain(byActor);
    expect(await ids(`نیلوفر ${tag}`)).toContain(byActor);
    const result = await search(`Storm ${tag}`);
    const typeCount = result.facets.type!.find((f) => f.value === 'movie')!.count;
    expect(typeCount).toBe(result.total);
    expect((await search(`Storm ${tag}`, '&type=series')).total).toBe(0);
  });

  it('never shows drafts or titles above a kids profile’s cap, not even in facet counts', async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const draft = await titled(`پیش‌نویس ${tag}`, `Draft Thing ${tag}`, { status: 'draft' });
    const adult = await titled(`بزرگسال ${tag}`, `Grown Thing ${tag}`, { maturity: 18 });
    expect(await ids(`Thing ${tag}`)).toEqual([adult]);
    expect(await ids(`Draft Thing ${tag}`)).not.toContain(draft);
    const v = await viewerWithProfile();
    const kids = await kidsProfile(v.token, v.userId, 7);
    const forKids = await search(`Thing ${tag}`, '', kids);
    expect(forKids.items).toEqual([]);
    expect(forKids.facets.type).toEqual([]);
  });

  it('suggests titles for the first letters, in both scripts', async () => {
    const tag = `zq${crypto.randomUUID().slice(0, 4)}`;
    const id = await titled(`ستاره ${tag}`, `${tag}star`);
    const res = await call(`/api/v1/search/suggest?q=${tag.slice(0, 4)}&lang=en`, { headers: { 'CF-Connecting-IP': '198.51.100.31' } });
    expect(((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id)).toContain(id);
  });

  it('refuses bad input', async () => {
    for (const bad of ['/search', '/search?q=', `/search?q=${'x'.repeat(101)}`, '/search?q=a&limit=500', '/search?q=a&offset=10000', '/search?q=a&sort=new', '/search/suggest?q=']) {
      await expectEnvelope(await call(`/api/v1${bad}`, { headers: { 'CF-Connecting-IP': '198.51.100.32' } }), 400, 'VALIDATION_FAILED');
    }
  });
});

describe('watchlist', () => {
  it('adds idempotently, lists newest first with availability, removes idempotently, per profile', async () => {
    const v = await viewerWithProfile();
    const [a, b] = [await movie(), await movie({ video: 'none' })];
    const first = (await (await api(`/watchlist/${a.contentId}`, { method: 'PUT', token: v.token })).json()) as { addedAt: string };
    await new Promise((r) => setTimeout(r, 5));
    expect((await api(`/watchlist/${b.contentId}`, { method: 'PUT', token: v.token })).status).toBe(200);
    const again = (await (await api(`/watchlist/${a.contentId}`, { method: 'PUT', token: v.token })).json()) as { addedAt: string };
    expect(again.addedAt).toBe(first.addedAt);
    const list = async (token = v.token) => ((await (await api('/watchlist', { token })).json()) as { items: { contentId: string; available: boolean; playable: boolean }[] }).items;
    expect((await list()).map((i) => [i.contentId, i.available, i.playable])).toEqual([[b.contentId, true, false], [a.contentId, true, true]]);
    // Unpublished since: still listed, flagged.
    await testDb().run(sql(`UPDATE content SET status = 'archived' WHERE id = $1`, [b.contentId]));
    expect((await list())[0]).toMatchObject({ contentId: b.contentId, available: false });

    expect((await api(`/watchlist/${a.contentId}`, { method: 'DELETE', token: v.token })).status).toBe(204);
    expect((await api(`/watchlist/${a.contentId}`, { method: 'DELETE', token: v.token })).status).toBe(204);
    expect((await list()).map((i) => i.contentId)).toEqual([b.contentId]);

    const other = await viewerWithProfile();
    expect(await list(other.token)).toEqual([]);
    await expectEnvelope(await api(`/watchlist/${(await movie({ status: 'draft' })).contentId}`, { method: 'PUT', token: v.token }), 404, 'NOT_FOUND');
    await expectEnvelope(await api('/watchlist/not-a-uuid', { method: 'PUT', token: v.token }), 400, 'VALIDATION_FAILED');
  });
});
