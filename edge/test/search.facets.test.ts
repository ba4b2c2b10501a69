// Search beyond the basics (issue 4): original titles, folding that only
// folding can explain, facets that agree with the filters they stand for,
// totals past the last page, literal % and _, and suggestions (Persian
// prefixes, original titles, one row per title, drafts and kids cap).
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { testDb } from './auth-helpers.ts';
import { call } from './helpers.ts';
import { kidsViewer, movie } from './playback-helpers.ts';

interface Result {
  total: number;
  items: { id: string; title: string; titleLang: string }[];
  facets: Record<'genre' | 'year' | 'type' | 'language', { value: string; count: number }[]>;
}

const headers = (token?: string): Record<string, string> => ({ 'CF-Connecting-IP': '198.51.100.33', ...(token ? { Authorization: `Bearer ${token}` } : {}) });

async function search(q: string, extra = '', token?: string): Promise<Result> {
  const res = await call(`/api/v1/search?q=${encodeURIComponent(q)}${extra}`, { headers: headers(token) });
  expect(res.status).toBe(200);
  return (await res.json()) as Result;
}

async function suggest(q: string, extra = '', token?: string): Promise<{ id: string; title: string }[]> {
  const res = await call(`/api/v1/search/suggest?q=${encodeURIComponent(q)}${extra}`, { headers: headers(token) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { id: string; title: string }[] }).items;
}

/** A published movie named `en`/`fa`, with whatever else the test sets on its row. */
async function title(en: string, fa: string, o: { maturity?: 0 | 12 | 18; status?: 'draft' | 'published'; set?: string; params?: unknown[] } = {}): Promise<string> {
  const { contentId } = await movie({ video: 'none', maturity: o.maturity ?? 0, status: o.status });
  await testDb().batch([
    sql(`UPDATE content_translations SET title = $2 WHERE content_id = $1 AND lang = 'en'`, [contentId, en]),
    sql(`UPDATE content_translations SET title = $2 WHERE content_id = $1 AND lang = 'fa'`, [contentId, fa]),
    ...(o.set ? [sql(`UPDATE content SET ${o.set} WHERE id = $1`, [contentId, ...(o.params ?? [])])] : []),
  ]);
  return contentId;
}

/** `length` random picks from `letters`: a word no other test (or seed) will have. */
const randomWord = (letters: string[], length: number) => Array.from({ length }, () => letters[Math.floor(Math.random() * letters.length)]).join('');

describe('search: original titles', () => {
  it('finds a title by its original name (without accents, with a typo), shows it under its localized name, and only when visible', async () => {
    const tag = randomWord(['q', 'x', 'z', 'j', 'k'], 6);
    const original = `Le Fabuleux Destin d'Amélie Poulain ${tag}`;
    // Localized names share no word with the original one: only the original title can find these.
    const local = randomWord(['w', 'v', 'y'], 8);
    const id = await title(`Montmartre ${local}`, `مونمارتر ${local}`, { set: 'original_title = $2', params: [original] });
    const hidden = await title(`Draft ${local}`, `پیش‌نویس ${local}`, { status: 'draft', set: 'original_title = $2', params: [original] });
    const adult = await title(`Adult ${local}`, `بزرگسال ${local}`, { maturity: 18, set: 'original_title = $2', params: [original] });
    for (const q of [original, `fabuleux destin d'amelie ${tag}`, `fabuleus destin amelie ${tag}`]) {
      const ids = (await search(q, '&lang=en')).items.map((i) => i.id);
      expect(ids, q).toContain(id);
      expect(ids, q).toContain(adult);
      expect(ids, q).not.toContain(hidden);
    }
    expect((await search(original, '&lang=en')).items.find((i) => i.id === id)).toMatchObject({ title: `Montmartre ${local}`, titleLang: 'en' });
    expect((await search(original, '&lang=fa')).items.find((i) => i.id === id)).toMatchObject({ title: `مونمارتر ${local}`, titleLang: 'fa' });
    expect((await search(original, '', await kidsViewer(7))).items.map((i) => i.id)).not.toContain(adult);

    const suggested = (await suggest(`poulain ${tag}`, '&lang=en&limit=10')).map((i) => i.id);
    expect(suggested).toContain(id);
    expect(suggested).not.toContain(hidden);
  });

  it('ranks an exact original title above a localized title that merely starts with it', async () => {
    const tag = randomWord(['q', 'x', 'z', 'j', 'k'], 6);
    const original = `Le Fabuleux Destin ${tag}`;
    const exact = await title(`Montmartre ${randomWord(['w', 'v', 'y'], 8)}`, `مونمارتر ${randomWord(['ژ', 'ث'], 8)}`, { set: 'original_title = $2', params: [original] });
    const sequel = await title(`${original} II: The Return`, `سرنوشت ${randomWord(['ژ', 'ث'], 8)}`);
    const ids = (await search(original)).items.map((i) => i.id);
    expect(ids.indexOf(exact)).toBe(0);
    expect(ids).toContain(sequel);
  });
});

describe('search: folding', () => {
  it('finds Persian words typed with Arabic ي and ك, which share no letter with them unfolded', async () => {
    // Only ک and ی: typed on an Arabic keyboard every letter differs, so without
    // fold_persian there is not one trigram in common and nothing would match.
    const word = randomWord(['ک', 'ی'], 10);
    const id = await title(`K ${randomWord(['q', 'x', 'z'], 8)}`, word);
    const arabic = word.replaceAll('ک', 'ك').replaceAll('ی', 'ي');
    expect(arabic).not.toContain('ک');
    expect((await search(arabic)).items.map((i) => i.id)).toContain(id);
  });

  it('finds accented titles typed without accents, which share no letter with them unaccented', async () => {
    const plain = ['e', 'a', 'o', 'u', 'i', 'c'];
    const accented = ['é', 'à', 'ô', 'ü', 'ï', 'ç'];
    const word = randomWord(accented, 10);
    const id = await title(word, `ف ${randomWord(['ق', 'ژ'], 8)}`);
    const typed = [...word].map((ch) => plain[accented.indexOf(ch)]).join('');
    expect((await search(typed)).items.map((i) => i.id)).toContain(id);
  });
});

describe('search: facets, totals and literal input', () => {
  it('counts genre, year, type and language facets exactly as each filter then returns, and totals past the last page', async () => {
    const tag = randomWord(['q', 'x', 'z', 'j', 'v'], 7);
    const genre = `g-${tag}`;
    await testDb().run(sql(`INSERT INTO genres (slug, name_fa, name_en) VALUES ($1, 'ژانر', 'Genre')`, [genre]));
    // Persian original dubbed into English; English original; French original with Persian subtitles.
    const dubbed = await title(`Harbor ${tag} one`, `بندر ${tag} یک`, { set: `year = 2011, original_language = 'fa', audio_languages = '{fa,en}'` });
    const english = await title(`Harbor ${tag} two`, `بندر ${tag} دو`, { set: `year = 2011, original_language = 'en'` });
    const french = await title(`Harbor ${tag} three`, `بندر ${tag} سه`, { set: `year = 2019, original_language = 'fr', subtitle_languages = '{fa}'` });
    await testDb().run(sql(`INSERT INTO content_genres (content_id, genre_id) SELECT c, g.id FROM unnest($1::uuid[]) c, genres g WHERE g.slug = $2`, [[dubbed, french], genre]));

    const all = await search(`harbor ${tag}`);
    expect(all.total).toBe(3);
    const count = (facet: keyof Result['facets'], value: string) => all.facets[facet].find((f) => f.value === value)?.count ?? 0;
    expect(count('language', 'fa')).toBe(2); // the Persian original and the subtitled French film
    expect(count('language', 'en')).toBe(2); // the English original and the dubbed one
    expect(count('language', 'fr')).toBe(1);
    expect(count('year', '2011')).toBe(2);
    expect(count('year', '2019')).toBe(1);
    expect(count('genre', genre)).toBe(2);
    expect(count('type', 'movie')).toBe(3);
    // Each facet count is what its filter returns.
    for (const [facet, param] of [['language', 'language'], ['genre', 'genre'], ['type', 'type']] as const) {
      for (const f of all.facets[facet]) expect((await search(`harbor ${tag}`, `&${param}=${f.value}`)).total, `${facet}=${f.value}`).toBe(f.count);
    }
    for (const f of all.facets.year) expect((await search(`harbor ${tag}`, `&yearFrom=${f.value}&yearTo=${f.value}`)).total).toBe(f.count);
    expect((await search(`harbor ${tag}`, '&language=fa')).items.map((i) => i.id).sort()).toEqual([dubbed, french].sort());

    // Past the last page: no items, the same total.
    const beyond = await search(`harbor ${tag}`, '&offset=10');
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(3);
    expect((await search(`harbor ${tag}`, '&limit=1&offset=2')).items).toHaveLength(1);
  });

  it('takes % and _ as text, not as wildcards', async () => {
    const tag = randomWord(['q', 'x', 'z', 'j', 'v'], 7);
    const literal = await title(`100%_${tag}`, `صد ${tag}`);
    for (const q of ['%', '_', '%%', '_%']) {
      const r = await search(q);
      expect(r.total, q).toBe(0);
    }
    expect((await search(`100%_${tag}`)).items.map((i) => i.id)).toContain(literal);
    expect(await suggest('%')).toEqual([]);
  });
});

describe('search: suggestions', () => {
  it('suggests from a Persian prefix, once per title whatever its translations, never drafts or above a kids cap', async () => {
    const word = randomWord(['ژ', 'ث', 'ذ', 'ظ'], 8);
    const shown = await title(`Z ${randomWord(['q', 'x'], 6)}`, `${word} نمایش`);
    const withArabic = await title(`Y ${randomWord(['q', 'x'], 6)}`, `${word} عربی`);
    await testDb().run(sql(`INSERT INTO content_translations (content_id, lang, title) VALUES ($1, 'ar', $2)`, [withArabic, `${word} عربي`]));
    const draft = await title(`D ${randomWord(['q', 'x'], 6)}`, `${word} پیش‌نویس`, { status: 'draft' });
    const adult = await title(`A ${randomWord(['q', 'x'], 6)}`, `${word} بزرگسال`, { maturity: 18 });

    const items = await suggest(word.slice(0, 4), '&lang=fa&limit=10');
    const ids = items.map((i) => i.id);
    expect(ids).toContain(shown);
    expect(ids).toContain(adult);
    expect(ids).not.toContain(draft);
    expect(ids.filter((id) => id === withArabic)).toHaveLength(1);
    expect(items.find((i) => i.id === shown)!.title).toBe(`${word} نمایش`);
    // Asked in English, the English name is there, and still one row whatever other names it has.
    const inEnglish = await suggest(word.slice(0, 4), '&lang=en&limit=10');
    expect(inEnglish.filter((i) => i.id === withArabic)).toHaveLength(1);
    const kids = (await suggest(word.slice(0, 4), '&limit=10', await kidsViewer(7))).map((i) => i.id);
    expect(kids).toContain(shown);
    expect(kids).not.toContain(adult);
  });
});
