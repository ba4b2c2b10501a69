// PATCH /profiles/{id}: rename one of my profiles.
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { renameProfile } from '../../services/profiles/rename-profile.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { ProfileIdParams, ProfileNameSchema, ProfileSchema, toProfile } from './profile-schemas.ts';

// Only the name for now: kids/maturity are set at creation, so a kids profile
// cannot be turned into an adult one from inside it.
export const PatchProfileBody = z.object({ name: ProfileNameSchema }).strict().openapi('PatchProfileRequest');

export const patchProfileRoute = createRoute({
  method: 'patch',
  path: '/profiles/{id}',
  tags: ['profiles'],
  summary: 'Rename a profile',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: ProfileIdParams, body: { required: true, content: { 'application/json': { schema: PatchProfileBody } } } },
  responses: {
    200: { description: 'The renamed profile.', content: { 'application/json': { schema: ProfileSchema } } },
    400: errorResponse('VALIDATION_FAILED'),
    401: errorResponse('UNAUTHORIZED'),
    404: errorResponse('NOT_FOUND: no such profile on this account.'),
    409: errorResponse('CONFLICT: another profile of the account has this name.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPatchProfile(app: Router): void {
  app.openapi(patchProfileRoute, async (c) => {
    const row = await renameProfile(c.get('services'), { userId: currentAuth(c).userId, profileId: c.req.valid('param').id, name: c.req.valid('json').name });
    return c.json(toProfile(row), 200);
  });
}
