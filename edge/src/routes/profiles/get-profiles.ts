// GET /profiles: the account's viewer profiles, oldest first.
import { createRoute, z } from '@hono/zod-openapi';
import { listProfiles } from '../../../../db/sql/profiles.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { ProfileSchema, toProfile } from './profile-schemas.ts';

export const ProfileListSchema = z.object({ profiles: z.array(ProfileSchema) }).openapi('ProfileList');

export const getProfilesRoute = createRoute({
  method: 'get',
  path: '/profiles',
  tags: ['profiles'],
  summary: 'My profiles',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  responses: {
    200: { description: 'The profiles.', content: { 'application/json': { schema: ProfileListSchema } } },
    401: errorResponse('UNAUTHORIZED'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerGetProfiles(app: Router): void {
  app.openapi(getProfilesRoute, async (c) => {
    const rows = await c.get('services').db.run(listProfiles(currentAuth(c).userId));
    return c.json({ profiles: rows.map(toProfile) }, 200);
  });
}
