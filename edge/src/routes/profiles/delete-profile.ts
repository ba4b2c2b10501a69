// DELETE /profiles/{id}: delete one of my profiles (never the last one).
import { createRoute } from '@hono/zod-openapi';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { deleteProfile } from '../../services/profiles/delete-profile.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { ProfileIdParams } from './profile-schemas.ts';

export const deleteProfileRoute = createRoute({
  method: 'delete',
  path: '/profiles/{id}',
  tags: ['profiles'],
  summary: 'Delete a profile',
  description: 'Sessions using the profile are left without an active profile. The last profile of an account cannot be deleted (409).',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: ProfileIdParams },
  responses: {
    204: { description: 'Deleted.' },
    401: errorResponse('UNAUTHORIZED'),
    404: errorResponse('NOT_FOUND: no such profile on this account.'),
    409: errorResponse('CONFLICT: the account’s last profile.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerDeleteProfile(app: Router): void {
  app.openapi(deleteProfileRoute, async (c) => {
    await deleteProfile(c.get('services'), { userId: currentAuth(c).userId, profileId: c.req.valid('param').id });
    return c.body(null, 204);
  });
}
