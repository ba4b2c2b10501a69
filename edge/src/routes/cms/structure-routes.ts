// The CMS's structure routes: seasons of a series, episodes of a season, genres.
import { createRoute, z } from '@hono/zod-openapi';
import { createEpisode, createGenre, createSeason, updateEpisode } from '../../../../db/sql/cms.ts';
import { listGenres } from '../../../../db/sql/catalog.ts';
import { ApiError, errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { runCmsWrite, snapshotOf } from '../../services/cms/write.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { assertFuture, cmsDeps, ContentIdParams, EpisodeTranslationSchema } from './cms-schemas.ts';

const errors = {
  400: errorResponse('VALIDATION_FAILED'),
  401: errorResponse('UNAUTHORIZED'),
  403: errorResponse('FORBIDDEN: not an editor.'),
  404: errorResponse('NOT_FOUND'),
  409: errorResponse('CONFLICT: `season_exists`, `episode_exists`, `genre_exists`, `parent` (not a series).'),
  429: errorResponse('RATE_LIMITED'),
};
const json = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const Created = { 201: { description: 'Created.', content: { 'application/json': { schema: z.object({ id: z.uuid() }) } } } };

export const postSeasonRoute = createRoute({
  method: 'post',
  path: '/admin/content/{id}/seasons',
  tags: ['cms'],
  summary: 'Add a season to a series',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: ContentIdParams, ...json(z.object({ seasonNumber: z.number().int().min(0).max(999), year: z.number().int().min(1888).max(2100).nullable().optional() }).strict()) },
  responses: { ...Created, ...errors },
});

export const postEpisodeRoute = createRoute({
  method: 'post',
  path: '/admin/seasons/{id}/episodes',
  tags: ['cms'],
  summary: 'Add an episode to a season',
  description: 'Episode numbers are unique within a season; Persian and English titles are required. `publishAt` (with status `scheduled` only) must be in the future.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: {
    params: ContentIdParams,
    ...json(
      z
        .object({
          episodeNumber: z.number().int().min(1).max(9999),
          translations: z.object({ fa: EpisodeTranslationSchema, en: EpisodeTranslationSchema }).strict(),
          status: z.enum(['draft', 'published', 'scheduled']).default('draft'),
          publishAt: z.iso.datetime({ offset: true }).optional(),
        })
        .strict()
        .refine((b) => (b.status === 'scheduled') === (b.publishAt !== undefined), { message: 'publishAt goes with status scheduled, and only with it', path: ['publishAt'] }),
    ),
  },
  responses: { ...Created, ...errors },
});

export const getGenresRoute = createRoute({
  method: 'get',
  path: '/admin/genres',
  tags: ['cms'],
  summary: 'Genres',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  request: { query: z.object({ lang: z.enum(['fa', 'en']).default('en') }).strict() },
  responses: { 200: { description: 'Every genre.', content: { 'application/json': { schema: z.object({ genres: z.array(z.object({ slug: z.string(), name: z.string() })) }) } } }, ...errors },
});

export const postGenreRoute = createRoute({
  method: 'post',
  path: '/admin/genres',
  tags: ['cms'],
  summary: 'Add a genre',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: json(z.object({ slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(60), fa: z.string().trim().min(1).max(100), en: z.string().trim().min(1).max(100) }).strict()),
  responses: { ...Created, ...errors },
});

export function registerStructureRoutes(app: Router): void {
  app.openapi(postSeasonRoute, async (c) => {
    const deps = cmsDeps(c);
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    if ((await snapshotOf(deps, id)).type !== 'series') throw new ApiError('CONFLICT', 'Only a series has seasons', { details: { reason: 'parent' } });
    const [[season]] = (await runCmsWrite(deps, createSeason({ ...deps.actor, contentId: id, seasonNumber: body.seasonNumber, year: body.year ?? null }))) as [{ id: string }[]];
    return c.json({ id: season!.id }, 201);
  });
  app.openapi(postEpisodeRoute, async (c) => {
    const deps = cmsDeps(c);
    const body = c.req.valid('json');
    if (body.publishAt !== undefined) assertFuture(body.publishAt, 'body.publishAt');
    const [, [episode]] = (await runCmsWrite(deps, createEpisode({ ...deps.actor, seasonId: c.req.valid('param').id, episodeNumber: body.episodeNumber, translations: body.translations, status: body.status, publishAt: body.publishAt ?? null }))) as [unknown, { id: string }[]];
    return c.json({ id: episode!.id }, 201);
  });
  app.openapi(getGenresRoute, async (c) => c.json({ genres: await c.get('services').db.run(listGenres(c.req.valid('query').lang)) }, 200));
  app.openapi(postGenreRoute, async (c) => {
    const deps = cmsDeps(c);
    const [[genre]] = (await runCmsWrite(deps, createGenre({ ...deps.actor, ...c.req.valid('json') }))) as [{ id: string }[]];
    return c.json({ id: genre!.id }, 201);
  });
}

export const patchEpisodeRoute = createRoute({
  method: 'patch',
  path: '/admin/episodes/{id}',
  tags: ['cms'],
  summary: 'Edit, publish, schedule or unpublish an episode',
  description: 'Episodes publish on their own schedule (weekly releases). `publication.action` `unpublish` takes it back to draft.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: {
    params: ContentIdParams,
    ...json(
      z
        .object({
          episodeNumber: z.number().int().min(1).max(9999).optional(),
          translations: z.object({ fa: EpisodeTranslationSchema.optional(), en: EpisodeTranslationSchema.optional() }).strict().optional(),
          publication: z
            .discriminatedUnion('action', [
              z.object({ action: z.literal('publish') }).strict(),
              z.object({ action: z.literal('unpublish') }).strict(),
              z.object({ action: z.literal('schedule'), publishAt: z.iso.datetime({ offset: true }) }).strict(),
            ])
            .optional(),
        })
        .strict(),
    ),
  },
  responses: { 200: { description: 'Saved.', content: { 'application/json': { schema: z.object({ id: z.uuid() }) } } }, ...errors },
});

export function registerEpisodeEdits(app: Router): void {
  app.openapi(patchEpisodeRoute, async (c) => {
    const deps = cmsDeps(c);
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    if (body.publication?.action === 'schedule') assertFuture(body.publication.publishAt, 'body.publication.publishAt');
    await runCmsWrite(deps, updateEpisode({ ...deps.actor, episodeId: id, ...body }));
    return c.json({ id }, 200);
  });
}
