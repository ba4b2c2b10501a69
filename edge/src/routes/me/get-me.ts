// GET /me: the signed-in account.
import { createRoute } from '@hono/zod-openapi';
import { findUserById, type UserRow } from '../../../../db/sql/users.ts';
import { ApiError, errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth, type AuthContext } from '../../middleware/auth.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { MeSchema, type Me } from './me-schemas.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';

export const getMeRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['me'],
  summary: 'The signed-in account',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  responses: {
    200: { description: 'The account.', content: { 'application/json': { schema: MeSchema } } },
    401: errorResponse('UNAUTHORIZED'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerGetMe(app: Router): void {
  app.openapi(getMeRoute, async (c) => {
    const auth = currentAuth(c);
    const [user] = await c.get('services').db.run(findUserById(auth.userId));
    // Deleted, or disabled a moment ago (the deny list covers the usual case).
    if (!user || user.disabledAt !== null) throw new ApiError('UNAUTHORIZED', 'A valid access token is required');
    return c.json(toMe(user, auth), 200);
  });
}

export function toMe(user: UserRow, auth: AuthContext): Me {
  return {
    id: user.id,
    email: user.email,
    phone: user.phone,
    emailVerified: user.emailVerifiedAt !== null,
    phoneVerified: user.phoneVerifiedAt !== null,
    hasPassword: user.hasPassword,
    role: user.role,
    tier: user.tier,
    displayName: user.displayName,
    locale: user.locale,
    activeProfileId: auth.profileId,
    sessionId: auth.sessionId,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}
