// GET /catalog, GET /catalog/home and GET /catalog/{idOrSlug}: what viewers browse.
import { createRoute, z } from '@hono/zod-openapi';
import { CursorSchema } from '../../lib/cursor.ts';
import { errorResponse } from '../../lib/errors.ts';
import { LANGUAGES } from '../../lib/language.ts';
import type { Router } from '../../lib/openapi.ts';
import { optionalAuth } from '../../middleware/auth.ts';
import { browse, detail, home } from '../../services/catalog/read-catalog.ts';
import { catalogDeps, catalogResponse, viewerOf } from './respond.ts';

const MAX_PAGE = 50;
const year = z.coerce.number().int().min(1888).max(2100);
const Lang = z.enum(LANGUAGES).optional().openapi({ description: 'Response language; default from Accept-Language, then fa. Missing fields fall back to the other language (`titleLang` says which).' });

export const BrowseQuery = z
  .object({
    type: z.enum(['movie', 'series']).optional(),
    genre: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(60).optional().openapi({ description: 'A genre slug.' }),
    yearFrom: year.optional(),
    yearTo: year.optional(),
    language: z.string().regex(/^[a-z]{2,3}$/).optional().openapi({ description: 'Original, audio or subtitle language.' }),
    maturity: z.coerce.number().int().refine((n) => [0, 7, 12, 15, 18].includes(n), 'must be one of 0, 7, 12, 15, 18').optional().openapi({ description: 'At most this rating.' }),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(20).openapi({ description: `Page size, 1-${MAX_PAGE}.` }),
    cursor: CursorSchema.optional(),
    lang: Lang,
  })
  .strict()
  .refine((q) => q.yearFrom === undefined || q.yearTo === undefined || q.yearFrom <= q.yearTo, { message: 'yearFrom must not be after yearTo', path: ['yearFrom'] });

const Json = { 'application/json': { schema: z.object({}).passthrough() } };

export const getCatalogRoute = createRoute({
  method: 'get',
  path: '/catalog',
  tags: ['catalog'],
  summary: 'Browse the catalog',
  description: 'Published titles (and scheduled ones once their time has come) visible to the profile, newest first, filtered. Cached; `ETag`/`If-None-Match` answer 304.',
  middleware: [optionalAuth()] as const,
  request: { query: BrowseQuery },
  responses: { 200: { description: 'One page.', content: Json }, 304: { description: 'Not modified.' }, 400: errorResponse('VALIDATION_FAILED: unknown filter, bad cursor, page size above the cap.'), 429: errorResponse('RATE_LIMITED') },
});

export const getHomeRoute = createRoute({
  method: 'get',
  path: '/catalog/home',
  tags: ['catalog'],
  summary: 'Home rails',
  description: 'New releases, most watched this week, and one rail per genre.',
  middleware: [optionalAuth()] as const,
  request: { query: z.object({ lang: Lang }).strict() },
  responses: { 200: { description: 'Rails.', content: Json }, 304: { description: 'Not modified.' }, 400: errorResponse('VALIDATION_FAILED'), 429: errorResponse('RATE_LIMITED') },
});

export const getContentRoute = createRoute({
  method: 'get',
  path: '/catalog/{idOrSlug}',
  tags: ['catalog'],
  summary: 'A title',
  description: 'Details with genres, cast and crew, and for a series its seasons and live episodes.',
  middleware: [optionalAuth()] as const,
  request: {
    params: z.object({ idOrSlug: z.string().min(1).max(120).regex(/^[A-Za-z0-9-]+$/, 'must be a title id or slug').openapi({ param: { name: 'idOrSlug', in: 'path' } }) }),
    query: z.object({ lang: Lang }).strict(),
  },
  responses: { 200: { description: 'The title.', content: Json }, 304: { description: 'Not modified.' }, 400: errorResponse('VALIDATION_FAILED'), 404: errorResponse('NOT_FOUND'), 429: errorResponse('RATE_LIMITED') },
});

export function registerGetCatalog(app: Router): void {
  app.openapi(getCatalogRoute, (c) => {
    const { limit, cursor, lang: _lang, type, genre, yearFrom, yearTo, language, maturity } = c.req.valid('query');
    const filters = { type: type ?? null, genre: genre ?? null, yearFrom: yearFrom ?? null, yearTo: yearTo ?? null, language: language ?? null, maxMaturity: maturity ?? null };
    return catalogResponse(c, () => browse(catalogDeps(c), viewerOf(c), filters, cursor ?? null, limit)) as never;
  });
  app.openapi(getHomeRoute, (c) => catalogResponse(c, () => home(catalogDeps(c), viewerOf(c))) as never);
  app.openapi(getContentRoute, (c) => catalogResponse(c, () => detail(catalogDeps(c), viewerOf(c), c.req.valid('param').idOrSlug)) as never);
}
