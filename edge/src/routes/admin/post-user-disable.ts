// POST /admin/users/{id}/disable: an admin disables an account; its sessions
// (refresh and access tokens) stop at once.
import { createRoute, z } from '@hono/zod-openapi';
import { authDeps } from '../../lib/auth/context.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { disableUser } from '../../services/auth/disable-user.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';

export const postUserDisableRoute = createRoute({
  method: 'post',
  path: '/admin/users/{id}/disable',
  tags: ['admin'],
  summary: 'Disable an account',
  description: 'Admin only. The account can no longer sign in or refresh, and its live access tokens are refused at once. Idempotent.',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('admin'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '3f0c1a9e-5b7d-4c2e-9a61-0d8e7f6b5a43' }) }) },
  responses: {
    204: { description: 'Disabled.' },
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: not an admin.'),
    404: errorResponse('NOT_FOUND: no such user.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPostUserDisable(app: Router): void {
  app.openapi(postUserDisableRoute, async (c) => {
    await disableUser(authDeps(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
}
