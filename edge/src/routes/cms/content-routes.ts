// The CMS's title routes: create, edit, publish/unpublish/schedule, list, read.
import { createRoute, z } from '@hono/zod-openapi';
import { createContent, listAdminContent, setPublication, updateContent } from '../../../../db/sql/cms.ts';
import { CursorSchema, page } from '../../lib/cursor.ts';
import { ApiError, errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { runCmsWrite, snapshotOf } from '../../services/cms/write.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { assertFuture, cmsDeps, ContentFieldsSchema, ContentIdParams } from './cms-schemas.ts';

const Snapshot = z.object({}).passthrough().openapi('AdminContent');
const errors = {
  400: errorResponse('VALIDATION_FAILED'),
  401: errorResponse('UNAUTHORIZED'),
  403: errorResponse('FORBIDDEN: not an editor.'),
  404: errorResponse('NOT_FOUND'),
  409: errorResponse('CONFLICT: `slug_taken`, `translations_required`, `changed` (edited by someone else), `parent`.'),
  429: errorResponse('RATE_LIMITED'),
};
const json = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

export const postContentRoute = createRoute({
  method: 'post',
  path: '/admin/content',
  tags: ['cms'],
  summary: 'Create a title (draft)',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: json(ContentFieldsSchema.extend({ type: z.enum(['movie', 'series']), originalLanguage: z.string().regex(/^[a-z]{2,3}$/) }).strict()),
  responses: { 201: { description: 'Created.', content: { 'application/json': { schema: Snapshot } } }, ...errors },
});

export const patchContentRoute = createRoute({
  method: 'patch',
  path: '/admin/content/{id}',
  tags: ['cms'],
  summary: 'Edit a title',
  description: 'Send `updatedAt` from your last read: an edit made by someone else since answers 409 `changed`.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: ContentIdParams, ...json(ContentFieldsSchema.extend({ updatedAt: z.string().min(1).max(64) }).strict()) },
  responses: { 200: { description: 'Saved.', content: { 'application/json': { schema: Snapshot } } }, ...errors },
});

export const postPublicationRoute = createRoute({
  method: 'post',
  path: '/admin/content/{id}/publication',
  tags: ['cms'],
  summary: 'Publish, schedule or unpublish a title',
  description:
    '`publish` now; `schedule` for `publishAt` (the title appears then, without a deploy); `unpublish` takes it down (archived, or back to draft if it never went out). Publishing an archived title again dates it now, as a new release. Needs fa and en translations to publish or schedule.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: {
    params: ContentIdParams,
    ...json(
      z.discriminatedUnion('action', [
        z.object({ action: z.literal('publish'), updatedAt: z.string() }).strict(),
        z.object({ action: z.literal('unpublish'), updatedAt: z.string() }).strict(),
        z.object({ action: z.literal('schedule'), updatedAt: z.string(), publishAt: z.iso.datetime({ offset: true }) }).strict(),
      ]),
    ),
  },
  responses: { 200: { description: 'Saved.', content: { 'application/json': { schema: Snapshot } } }, ...errors },
});

export const getAdminContentRoute = createRoute({
  method: 'get',
  path: '/admin/content',
  tags: ['cms'],
  summary: 'List titles (every status)',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  request: {
    query: z.object({ status: z.enum(['draft', 'scheduled', 'published', 'archived']).optional(), type: z.enum(['movie', 'series']).optional(), limit: z.coerce.number().int().min(1).max(100).default(20), cursor: CursorSchema.optional() }).strict(),
  },
  responses: { 200: { description: 'One page.', content: { 'application/json': { schema: z.object({ items: z.array(z.object({}).passthrough()), nextCursor: z.string().nullable() }) } } }, ...errors },
});

export const getAdminContentItemRoute = createRoute({
  method: 'get',
  path: '/admin/content/{id}',
  tags: ['cms'],
  summary: 'A title as editors see it',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('editor'), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  request: { params: ContentIdParams },
  responses: { 200: { description: 'The title.', content: { 'application/json': { schema: Snapshot } } }, ...errors },
});

export function registerContentRoutes(app: Router): void {
  app.openapi(postContentRoute, async (c) => {
    const deps = cmsDeps(c);
    const { type, translations, genres, ...fields } = c.req.valid('json');
    const id = crypto.randomUUID();
    await runCmsWrite(deps, createContent({ ...deps.actor, id, type, fields, translations: translations ?? {}, genres }));
    return c.json(await snapshotOf(deps, id), 201);
  });
  app.openapi(patchContentRoute, async (c) => {
    const deps = cmsDeps(c);
    const { id } = c.req.valid('param');
    const { updatedAt, translations, genres, ...fields } = c.req.valid('json');
    const before = await snapshotOf(deps, id);
    if (before.updatedAt !== updatedAt) throw new ApiError('CONFLICT', 'Someone else changed this title since you loaded it; reload and try again', { details: { reason: 'changed' } });
    await runCmsWrite(deps, updateContent({ ...deps.actor, contentId: id, before, fields, translations, genres }));
    return c.json(await snapshotOf(deps, id), 200);
  });
  app.openapi(postPublicationRoute, async (c) => {
    const deps = cmsDeps(c);
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const before = await snapshotOf(deps, id);
    if (before.updatedAt !== body.updatedAt) throw new ApiError('CONFLICT', 'Someone else changed this title since you loaded it; reload and try again', { details: { reason: 'changed' } });
    if (body.action === 'schedule') assertFuture(body.publishAt, 'body.publishAt');
    await runCmsWrite(deps, setPublication({ ...deps.actor, contentId: id, before, publication: body }));
    return c.json(await snapshotOf(deps, id), 200);
  });
  app.openapi(getAdminContentRoute, async (c) => {
    const q = c.req.valid('query');
    const rows = await c.get('services').db.run(listAdminContent({ status: q.status ?? null, type: q.type ?? null, before: q.cursor ?? null, limit: q.limit + 1 }));
    const { items, nextCursor } = page(rows, q.limit);
    return c.json({ items: items.map(({ cursorAt: _c, ...r }) => r), nextCursor }, 200);
  });
  app.openapi(getAdminContentItemRoute, async (c) => c.json(await snapshotOf(cmsDeps(c), c.req.valid('param').id), 200));
}
