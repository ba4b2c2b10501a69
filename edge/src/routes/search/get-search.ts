// GET /search and GET /search/suggest: typo- and script-tolerant title and cast search.
import { createRoute, z } from '@hono/zod-openapi';
import { searchCatalog, searchFacets, suggestTitles } from '../../../../db/sql/search.ts';
import { errorResponse } from '../../lib/errors.ts';
import { LANGUAGES, resolveLanguage } from '../../lib/language.ts';
import type { Router } from '../../lib/openapi.ts';
import { optionalAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';

const MAX_PAGE = 50;
const MAX_OFFSET = 500;
const Q = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const year = z.coerce.number().int().min(1888).max(2100);
const Lang = z.enum(LANGUAGES).optional();

export const SearchQuery = z
  .object({
    q: Q,
    type: z.enum(['movie', 'series']).optional(),
    genre: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(60).optional(),
    yearFrom: year.optional(),
    yearTo: year.optional(),
    language: z.string().regex(/^[a-z]{2,3}$/).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(20),
    offset: z.coerce.number().int().min(0).max(MAX_OFFSET).default(0).openapi({ description: `Relevance-ranked results page by offset (at most ${MAX_OFFSET}).` }),
    lang: Lang,
  })
  .strict();

const Hit = z.object({ id: z.uuid(), type: z.string(), slug: z.string().nullable(), year: z.number().nullable(), maturityRating: z.number(), title: z.string(), titleLang: z.string(), images: z.record(z.string(), z.string()) });

export const getSearchRoute = createRoute({
  method: 'get',
  path: '/search',
  tags: ['catalog'],
  summary: 'Search titles and cast',
  description:
    'Full-text plus trigram search over titles (Persian and English), original titles and cast names; tolerant of typos, punctuation, accents and ' +
    'Persian letter variants (ي/ی, ك/ک, ZWNJ). Ranked: exact and prefix title matches first. `total` counts every match (not only this page). ' +
    '`facets` count genres, years, types and languages (original, audio or subtitles, as the `language` filter matches) over the filtered matches.',
  middleware: [optionalAuth(), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  request: { query: SearchQuery },
  responses: {
    200: { description: 'Results.', content: { 'application/json': { schema: z.object({ lang: z.string(), total: z.number(), items: z.array(Hit), facets: z.record(z.string(), z.array(z.object({ value: z.string(), count: z.number() }))) }) } } },
    400: errorResponse('VALIDATION_FAILED: empty or over-long q, unknown parameter, page size or offset above the cap.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export const getSuggestRoute = createRoute({
  method: 'get',
  path: '/search/suggest',
  tags: ['catalog'],
  summary: 'Autocomplete titles',
  middleware: [optionalAuth(), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  request: { query: z.object({ q: Q, limit: z.coerce.number().int().min(1).max(10).default(8), lang: Lang }).strict() },
  responses: {
    200: { description: 'Suggestions.', content: { 'application/json': { schema: z.object({ items: z.array(z.object({ id: z.uuid(), title: z.string(), type: z.string() })) }) } } },
    400: errorResponse('VALIDATION_FAILED'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerGetSearch(app: Router): void {
  app.openapi(getSearchRoute, async (c) => {
    const { q, limit, offset, type, genre, yearFrom, yearTo, language } = c.req.valid('query');
    const filters = { type: type ?? null, genre: genre ?? null, yearFrom: yearFrom ?? null, yearTo: yearTo ?? null, language: language ?? null };
    const lang = resolveLanguage(c);
    const cap = c.get('auth')?.maturityCap ?? null;
    const [rows, facetRows] = await Promise.all([
      c.get('services').db.run(searchCatalog({ q, lang, cap, filters, offset, limit })),
      c.get('services').db.run(searchFacets({ q, cap, filters })),
    ]);
    const facets: Record<string, { value: string; count: number }[]> = { genre: [], year: [], type: [], language: [] };
    for (const f of facetRows) facets[f.facet]!.push({ value: f.value, count: f.count });
    const items = rows.map(({ score: _s, ...hit }) => hit);
    // Every match has exactly one type: the type counts add up to all matches,
    // whatever page (offset) was asked for.
    const total = facets.type!.reduce((n, f) => n + f.count, 0);
    return c.json({ lang, total, items, facets }, 200);
  });
  app.openapi(getSuggestRoute, async (c) => {
    const { q, limit } = c.req.valid('query');
    return c.json({ items: await c.get('services').db.run(suggestTitles({ q, lang: resolveLanguage(c), cap: c.get('auth')?.maturityCap ?? null, limit })) }, 200);
  });
}
