// normalize_search_text (migration 0001): the one normalisation every search
// column and query goes through. Checked directly, since trigram similarity
// in the API tests would hide a fold that stopped working on a long title.
import { describe, expect, it } from 'vitest';
import { useTempDatabase } from './helpers/databases.ts';

const t = useTempDatabase();
const normalize = async (input: string | null) => (await t.client.query<{ n: string | null }>('SELECT normalize_search_text($1) AS n', [input])).rows[0]!.n;

describe('normalize_search_text', () => {
  it('folds Arabic-keyboard letters to Persian ones (ي ى ئ to ی, ك to ک, ة ۀ to ه, hamza forms to ا و)', async () => {
    expect(await normalize('كتاب يكي')).toBe('کتاب یکی');
    expect(await normalize('ى ئ ة ۀ أ إ آ ٱ ؤ')).toBe('ی ی ه ه ا ا ا ا و');
  });

  it('drops diacritics and the tatweel, turns the zero-width non-joiner into a space, and digits into ASCII', async () => {
    expect(await normalize('كِتَابٌ')).toBe('کتاب');
    expect(await normalize('كـــتاب')).toBe('کتاب');
    expect(await normalize('می\u200Cخواهم')).toBe('می خواهم');
    expect(await normalize('۱۴۰۳ و ٢٠٢٤')).toBe('1403 و 2024');
  });

  it('removes Latin accents, lowers case and collapses white space', async () => {
    expect(await normalize('  Amélie   PoULAIN\tÇa  ')).toBe('amelie poulain ca');
    expect(await normalize('Ångström Øre Straße')).toBe('angstrom ore strasse');
  });

  it('keeps punctuation for the trigram and full-text matching to deal with, and passes null through', async () => {
    expect(await normalize('Spider-Man: No Way Home')).toBe('spider-man: no way home');
    expect(await normalize(null)).toBeNull();
  });
});
