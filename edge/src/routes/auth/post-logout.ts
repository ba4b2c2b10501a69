// POST /auth/logout and POST /auth/logout-all.
import { createRoute } from '@hono/zod-openapi';
import { authDeps } from '../../lib/auth/context.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { signOut, signOutEverywhere } from '../../services/auth/sign-out.ts';
import { bearerSecurity } from './schemas.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';

export const postLogoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'Sign out this session',
  description: 'Ends the session of the access token: its refresh token and its access tokens stop working at once.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'session', key: 'ip+user' })] as const,
  responses: { 204: { description: 'Signed out.' }, 401: errorResponse('UNAUTHORIZED'), 429: errorResponse('RATE_LIMITED') },
});

export const postLogoutAllRoute = createRoute({
  method: 'post',
  path: '/auth/logout-all',
  tags: ['auth'],
  summary: 'Sign out everywhere',
  description: 'Ends every session of the account, on every device, this one included.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'session', key: 'ip+user' })] as const,
  responses: { 204: { description: 'Signed out everywhere.' }, 401: errorResponse('UNAUTHORIZED'), 429: errorResponse('RATE_LIMITED') },
});

export function registerPostLogout(app: Router): void {
  app.openapi(postLogoutRoute, async (c) => {
    const auth = currentAuth(c);
    await signOut(authDeps(c), auth.userId, auth.sessionId);
    return c.body(null, 204);
  });
  app.openapi(postLogoutAllRoute, async (c) => {
    const auth = currentAuth(c);
    await signOutEverywhere(authDeps(c), auth.userId, auth.sessionId);
    return c.body(null, 204);
  });
}

