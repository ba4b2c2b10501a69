// Loads the demo data (db/seed/data.ts) into a migrated database.
//
//   node db/seed.ts            (reads DATABASE_URL; `npm run db:seed`)
//
// Idempotent: fixed ids and upserts, all in one transaction, so a second run
// changes nothing but the demo subscription's period (it is kept current).
import pg from 'pg';
import { isMain } from './is-main.ts';
import { CONTENT, GENRES, imagesOf, PEOPLE, PROFILES, SUBSCRIPTIONS, USERS, type Lang } from './seed/data.ts';
import * as s from './seed/statements.ts';
import type { Statement } from './sql/statement.ts';

const LANGS: Lang[] = ['fa', 'en'];

/** Every statement of the seed, in dependency order. */
export function seedStatements(): Statement[] {
  const out: Statement[] = [];
  out.push(...USERS.map(s.upsertUser), ...PROFILES.map(s.upsertProfile), ...SUBSCRIPTIONS.map(s.upsertSubscription));
  out.push(...GENRES.map(s.upsertGenre), ...PEOPLE.map(s.upsertPerson));
  for (const c of CONTENT) {
    out.push(s.upsertContent(c, imagesOf(c.slug)));
    for (const lang of LANGS) out.push(s.upsertContentTranslation(c.id, lang, c.text[lang]));
    for (const genreId of c.genreIds) out.push(s.linkContentGenre(c.id, genreId));
    for (const credit of c.credits) out.push(s.upsertCredit(c.id, credit));
    for (const season of c.seasons ?? []) {
      out.push(s.upsertSeason(c.id, season));
      for (const e of season.episodes) {
        out.push(s.upsertEpisode(c.id, season.id, e, c.at));
        for (const lang of LANGS) out.push(s.upsertEpisodeTranslation(e.id, lang, e.text[lang]));
      }
    }
  }
  return out;
}

export async function seed(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'irdnl-seed' });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const statement of seedStatements()) await client.query(statement.text, statement.params as unknown[]);
    // The fa/en publishing rule is a deferred trigger: it runs here.
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set');
    process.exit(1);
  }
  try {
    await seed(url);
    console.log(`seeded ${CONTENT.length} titles, ${USERS.length} users`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}

if (await isMain(import.meta.url)) await main();
