// PUT /auth/session/profile: choose the viewer profile this session acts as.
import { createRoute, z } from '@hono/zod-openapi';
import { authDeps } from '../../lib/auth/context.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { switchProfile } from '../../services/auth/switch-profile.ts';
import { bearerSecurity } from './schemas.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';

export const PutSessionProfileBody = z
  .object({ profileId: z.uuid().nullable().openapi({ description: 'null: no active profile.', example: '6a1f3c2e-8b4d-4e5f-9a7b-1c2d3e4f5a6b' }) })
  .strict()
  .openapi('SessionProfileRequest');

const Switched = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
    profileId: z.uuid().nullable(),
  })
  .openapi('SessionProfile');

export const putSessionProfileRoute = createRoute({
  method: 'put',
  path: '/auth/session/profile',
  tags: ['auth'],
  summary: 'Switch the active profile',
  description:
    'Makes one of the account’s profiles the active one for this session and returns a new access token whose `pid` ' +
    'claim names it. Refreshes keep it. The refresh token does not change.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'session', key: 'ip+user' })] as const,
  request: { body: { required: true, content: { 'application/json': { schema: PutSessionProfileBody } } } },
  responses: {
    200: { description: 'Switched.', content: { 'application/json': { schema: Switched } } },
    400: errorResponse('VALIDATION_FAILED'),
    401: errorResponse('UNAUTHORIZED'),
    404: errorResponse('NOT_FOUND: not a profile of this account.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPutSessionProfile(app: Router): void {
  app.openapi(putSessionProfileRoute, async (c) => {
    const auth = currentAuth(c);
    const result = await switchProfile(authDeps(c), { userId: auth.userId, sessionId: auth.sessionId, profileId: c.req.valid('json').profileId });
    return c.json(result, 200);
  });
}
