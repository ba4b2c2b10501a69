import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../seed.ts';
import { CONTENT, USERS } from '../seed/data.ts';
import { searchCatalog, suggestTitles } from '../sql/search.ts';
import { createTempDatabase, run, withClient, type TempDatabase } from './helpers/databases.ts';

let db: TempDatabase;

beforeAll(async () => {
  db = await createTempDatabase();
});

afterAll(async () => {
  await db?.drop();
});

const COUNTED = [
  'users', 'profiles', 'subscriptions', 'genres', 'people', 'content', 'content_translations',
  'content_genres', 'content_credits', 'seasons', 'episodes', 'episode_translations',
] as const;

async function counts(): Promise<Record<string, number>> {
  return withClient(db.url, async (c) => {
    const out: Record<string, number> = {};
    for (const table of COUNTED) out[table] = (await c.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
    return out;
  });
}

describe('seed', () => {
  it('loads the demo catalog and accounts, and a second run changes nothing', async () => {
    await seed(db.url);
    const first = await counts();
    expect(first).toMatchObject({ users: USERS.length, content: CONTENT.length, seasons: 2, episodes: 5 });
    expect(first.content_translations).toBe(CONTENT.length * 2);

    const snapshot = () =>
      withClient(db.url, async (c) => (await c.query('SELECT id, updated_at FROM content ORDER BY id')).rows);
    const before = await snapshot();
    await seed(db.url);
    expect(await counts()).toEqual(first);
    // Upserts of identical values still touch updated_at; ids and rows stay the same.
    expect((await snapshot()).map((r) => r.id)).toEqual(before.map((r) => r.id));
  });

  it('has a Persian and an English title and synopsis for every title and episode', async () => {
    await withClient(db.url, async (c) => {
      const missing = await c.query(`
        SELECT c.slug, l.lang FROM content c CROSS JOIN (VALUES ('fa'), ('en')) AS l (lang)
        WHERE NOT EXISTS (SELECT 1 FROM content_translations t
                          WHERE t.content_id = c.id AND t.lang = l.lang AND t.synopsis IS NOT NULL)`);
      expect(missing.rows).toEqual([]);
      const missingEpisodes = await c.query(`
        SELECT e.id, l.lang FROM episodes e CROSS JOIN (VALUES ('fa'), ('en')) AS l (lang)
        WHERE NOT EXISTS (SELECT 1 FROM episode_translations t WHERE t.episode_id = e.id AND t.lang = l.lang)`);
      expect(missingEpisodes.rows).toEqual([]);
    });
  });

  it('stores the Persian text exactly as written', async () => {
    await withClient(db.url, async (c) => {
      const { rows } = await c.query("SELECT content_id AS id, title, synopsis FROM content_translations WHERE lang = 'fa'");
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const item of CONTENT) expect(byId.get(item.id)).toEqual({ id: item.id, ...item.text.fa });
    });
  });

  it('creates the demo admin, editor and viewer with Argon2id passwords, the viewer with a live subscription', async () => {
    await withClient(db.url, async (c) => {
      const { rows: users } = await c.query(`SELECT email, phone, role, password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%' AS hashed FROM users ORDER BY email`);
      expect(users).toEqual([
        { email: 'admin@irdnl.local', phone: null, role: 'admin', hashed: true },
        { email: 'editor@irdnl.local', phone: null, role: 'editor', hashed: true },
        { email: 'viewer@irdnl.local', phone: '+989120000001', role: 'viewer', hashed: true },
      ]);
      const { rows: subs } = await c.query(
        "SELECT tier, status, current_period_end > now() AS current FROM subscriptions WHERE user_id = $1",
        [USERS[1]!.id],
      );
      expect(subs).toEqual([{ tier: 'standard', status: 'active', current: true }]);
    });
  });

  it('is searchable: Arabic-keyboard spellings and cast names find the titles', async () => {
    await withClient(db.url, async (c) => {
      // ي and ك typed on an Arabic keyboard, and a space instead of the ZWNJ.
      const { rows } = await c.query(
        `SELECT DISTINCT c.slug FROM content_translations t JOIN content c ON c.id = t.content_id
         WHERE t.title_search % normalize_search_text($1)`,
        ['سايه هاي خزر'],
      );
      expect(rows).toEqual([{ slug: 'caspian-shadows' }]);

      const fts = await c.query(
        `SELECT c.slug FROM content_translations t JOIN content c ON c.id = t.content_id
         WHERE t.search_vector @@ plainto_tsquery('simple', normalize_search_text($1)) ORDER BY c.slug`,
        ['زعفران'],
      );
      expect(fts.rows).toEqual([{ slug: 'saffron-fields' }]);

      const cast = await c.query(
        `SELECT DISTINCT c.slug FROM people p
         JOIN content_credits cc ON cc.person_id = p.id JOIN content c ON c.id = cc.content_id
         WHERE p.name_search % normalize_search_text($1) AND cc.role = 'director' ORDER BY c.slug`,
        ['مينا تهراني'],
      );
      expect(cast.rows).toEqual([{ slug: 'saffron-fields' }, { slug: 'the-last-train-to-tabriz' }]);
    });
  });

  it('is searchable by original title, accents and hyphens left out, shown under the localized title, only where visible', async () => {
    await withClient(db.url, async (c) => {
      const noFilters = { type: null, genre: null, yearFrom: null, yearTo: null, language: null };
      const find = (q: string, cap: number | null = null) => run(c, searchCatalog({ q, lang: 'en', cap, filters: noFilters, offset: 0, limit: 5 }));
      for (const q of ['akharin ghatar', 'Âkharin Ghatâr-e Tabriz', 'akharin gatar']) {
        expect((await find(q)).map((r) => [r.slug, r.title]), q).toEqual([['the-last-train-to-tabriz', 'The Last Train to Tabriz']]);
      }
      expect((await find('sayeha-ye khazar')).map((r) => r.slug)).toEqual(['caspian-shadows']);
      // Rated 15: not for the seeded kids profile (cap 7). Scheduled: for no one yet.
      expect(await find('sayeha-ye khazar', 7)).toEqual([]);
      expect(await find('signal-e kavir')).toEqual([]);
      await c.query('BEGIN');
      try {
        await c.query(`UPDATE content SET publish_at = now() - interval '1 minute' WHERE slug = 'desert-signal'`);
        expect((await find('signal-e kavir')).map((r) => r.slug), 'once its time has come').toEqual(['desert-signal']);
      } finally {
        await c.query('ROLLBACK');
      }
      expect((await run(c, suggestTitles({ q: 'akhar', lang: 'fa', cap: null, limit: 5 }))).map((r) => r.title)).toEqual(['آخرین قطار تبریز']);
    });
  });
});
