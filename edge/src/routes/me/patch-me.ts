// PATCH /me: the few fields a user owns. The body schema is strict: role,
// tier, ids, email, phone, verification or disabled flags, or any unknown
// field answer 400 VALIDATION_FAILED (no mass assignment).
import { createRoute, z } from '@hono/zod-openapi';
import { findUserById, updateUserProfileFields, type UserRow } from '../../../../db/sql/users.ts';
import { ApiError, errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { toMe } from './get-me.ts';
import { MeSchema } from './me-schemas.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';

export const PatchMeBody = z
  .object({
    displayName: z.string().trim().min(1).max(100).nullable().optional().openapi({ description: 'null clears it.', example: 'Sara' }),
    locale: z.enum(['fa', 'en']).optional().openapi({ example: 'en' }),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change')
  .openapi('PatchMeRequest');

export const patchMeRoute = createRoute({
  method: 'patch',
  path: '/me',
  tags: ['me'],
  summary: 'Change the signed-in account',
  description: 'Only `displayName` and `locale` can be changed here; any other field is refused with 400 VALIDATION_FAILED.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { body: { required: true, content: { 'application/json': { schema: PatchMeBody, example: { displayName: 'Sara', locale: 'en' } } } } },
  responses: {
    200: { description: 'The changed account.', content: { 'application/json': { schema: MeSchema } } },
    400: errorResponse('VALIDATION_FAILED: unknown or server-owned field, or a bad value.'),
    401: errorResponse('UNAUTHORIZED'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPatchMe(app: Router): void {
  app.openapi(patchMeRoute, async (c) => {
    const auth = currentAuth(c);
    const body = c.req.valid('json');
    const [, rows] = (await c.get('services').db.batch([updateUserProfileFields(auth.userId, body), findUserById(auth.userId)])) as [unknown, UserRow[]];
    const user = rows[0];
    if (!user || user.disabledAt !== null) throw new ApiError('UNAUTHORIZED', 'A valid access token is required');
    return c.json(toMe(user, auth), 200);
  });
}
