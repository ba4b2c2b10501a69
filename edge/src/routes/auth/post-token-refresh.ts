// POST /auth/token/refresh: rotate the refresh token, get a new access token.
import { createRoute, z } from '@hono/zod-openapi';
import { authDeps } from '../../lib/auth/context.ts';
import { REFRESH_TOKEN_PATTERN } from '../../lib/auth/refresh-token.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { refreshSession } from '../../services/auth/refresh-session.ts';
import { SessionTokensSchema } from './schemas.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';

export const PostTokenRefreshBody = z
  .object({ refreshToken: z.string().regex(REFRESH_TOKEN_PATTERN, 'must be a refresh token').openapi({ example: 'q8T0x1k3J9sWmC2aV7rNf5yHbL4pZ6dE0uGiOtKcRwA' }) })
  .strict()
  .openapi('TokenRefreshRequest');

export const postTokenRefreshRoute = createRoute({
  method: 'post',
  path: '/auth/token/refresh',
  tags: ['auth'],
  summary: 'Refresh the session',
  description:
    'Trades a refresh token for a new access token AND a new refresh token; the presented one is used up. Keep only ' +
    'the newest. Presenting a refresh token that was already used ends the whole session (all its tokens), because ' +
    'it means a copy of the token is in someone else’s hands. The session ends for good at `refreshTokenExpiresAt`.',
  middleware: [rateLimit({ class: 'session', key: 'ip' })] as const,
  request: { body: { required: true, content: { 'application/json': { schema: PostTokenRefreshBody } } } },
  responses: {
    200: { description: 'New tokens.', content: { 'application/json': { schema: SessionTokensSchema } } },
    400: errorResponse('VALIDATION_FAILED'),
    401: errorResponse('UNAUTHORIZED: unknown, used, revoked or expired refresh token; sign in again.'),
    429: errorResponse('RATE_LIMITED: too many requests from this address; wait Retry-After seconds.'),
  },
});

export function registerPostTokenRefresh(app: Router): void {
  app.openapi(postTokenRefreshRoute, async (c) => {
    const tokens = await refreshSession(authDeps(c), c.req.valid('json').refreshToken);
    return c.json(tokens, 200);
  });
}
