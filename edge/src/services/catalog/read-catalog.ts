// Catalog reads for viewers (issue 4): browse, detail and home rails, built
// from Postgres and served through the Redis cache (cache.ts). A cached entry
// never outlives the next scheduled publish, so scheduled titles appear on
// time.
import { browseCatalog, getContentDetail, mostWatchedThisWeek, nextScheduledPublish, type BrowseInput, type CatalogCardRow } from '../../../../db/sql/catalog.ts';
import type { Db } from '../../../../db/sql/statement.ts';
import { encodeCursor, type KeysetCursor } from '../../lib/cursor.ts';
import type { Language } from '../../lib/language.ts';
import { CACHE_TTL_SECONDS, cached, type CachedBody, type CatalogCache } from './cache.ts';

export interface CatalogDeps {
  db: Db;
  cache: CatalogCache;
}

export interface Viewer {
  lang: Language;
  /** The profile's maturity cap; null = no profile (anonymous or account holder). */
  cap: number | null;
}

function card(r: CatalogCardRow) {
  return {
    id: r.id,
    type: r.type,
    slug: r.slug,
    year: r.year,
    maturityRating: r.maturityRating,
    originalLanguage: r.originalLanguage,
    title: r.title,
    titleLang: r.titleLang,
    synopsis: r.synopsis,
    genres: r.genres,
    audioLanguages: r.audioLanguages,
    subtitleLanguages: r.subtitleLanguages,
    images: r.images,
    publishedAt: new Date(r.liveSince).toISOString(),
  };
}

async function ttl(db: Db): Promise<number> {
  const [row] = await db.run(nextScheduledPublish());
  return row?.inMs ? Math.min(CACHE_TTL_SECONDS, Math.max(1, Math.floor(row.inMs / 1000))) : CACHE_TTL_SECONDS;
}

const keyOf = (kind: string, viewer: Viewer, params: object) => `${kind}:${viewer.lang}:${viewer.cap ?? 'all'}:${JSON.stringify(params)}`;

export type BrowseFilters = Omit<BrowseInput, 'lang' | 'cap' | 'before' | 'limit'>;

export function browse(deps: CatalogDeps, viewer: Viewer, filters: BrowseFilters, cursor: KeysetCursor | null, limit: number) {
  return cached(deps.cache, keyOf('browse', viewer, { ...filters, cursor, limit }), async () => {
    const [rows, seconds] = await Promise.all([deps.db.run(browseCatalog({ ...filters, lang: viewer.lang, cap: viewer.cap, before: cursor, limit: limit + 1 })), ttl(deps.db)]);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor = rows.length > limit && last ? encodeCursor({ at: last.cursorAt, id: last.id }) : null;
    return { body: JSON.stringify({ lang: viewer.lang, items: items.map(card), nextCursor }), ttlSeconds: seconds };
  });
}

/** The detail body, or null (not cached) when the title is not visible to this viewer. */
export async function detail(deps: CatalogDeps, viewer: Viewer, idOrSlug: string): Promise<CachedBody | null> {
  const result = await cached(deps.cache, keyOf('detail', viewer, { idOrSlug }), async () => {
    const [[row], seconds] = await Promise.all([deps.db.run(getContentDetail({ idOrSlug, lang: viewer.lang, cap: viewer.cap })), ttl(deps.db)]);
    if (!row) return { body: 'null', ttlSeconds: Math.min(seconds, 30) };
    const { seasons, credits, genreNames, tagline, playable, hasTrailer } = row;
    return { body: JSON.stringify({ lang: viewer.lang, ...card(row), tagline, genres: genreNames, credits, seasons, playable, hasTrailer }), ttlSeconds: seconds };
  });
  return result.body === 'null' ? null : result;
}

export function home(deps: CatalogDeps, viewer: Viewer) {
  return cached(deps.cache, keyOf('home', viewer, {}), async () => {
    const newest = { lang: viewer.lang, cap: viewer.cap, type: null, genre: null, yearFrom: null, yearTo: null, language: null, maxMaturity: null, before: null };
    const [recent, popular, seconds] = await Promise.all([
      deps.db.run(browseCatalog({ ...newest, limit: 100 })),
      deps.db.run(mostWatchedThisWeek({ lang: viewer.lang, cap: viewer.cap, limit: 12 })),
      ttl(deps.db),
    ]);
    const fresh = recent.slice(0, 12);
    // One rail per genre among the newest titles.
    const byGenre = new Map<string, CatalogCardRow[]>();
    for (const r of recent) for (const g of r.genres) byGenre.set(g, [...(byGenre.get(g) ?? []), r].slice(0, 12));
    const rails = [
      { id: 'new', kind: 'new_releases', items: fresh.map(card) },
      { id: 'most-watched', kind: 'most_watched_week', items: popular.map(card) },
      ...[...byGenre].map(([genre, items]) => ({ id: `genre:${genre}`, kind: 'genre', genre, items: items.map(card) })),
    ].filter((r) => r.items.length > 0);
    return { body: JSON.stringify({ lang: viewer.lang, rails }), ttlSeconds: seconds };
  });
}
