// PATCH /admin/users/{id}/role: an admin changes an account's role; the
// change is audited and the account's sessions end (see change-user-role.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { authDeps } from '../../lib/auth/context.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { changeUserRole } from '../../services/admin/change-user-role.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { RoleSchema, UserIdParams } from './admin-schemas.ts';

export const PatchUserRoleBody = z.object({ role: RoleSchema.openapi({ example: 'editor' }) }).strict().openapi('ChangeRoleRequest');

const RoleChanged = z
  .object({ id: z.uuid(), before: RoleSchema, role: RoleSchema, sessionsRevoked: z.number().int() })
  .openapi('RoleChanged');

export const patchUserRoleRoute = createRoute({
  method: 'patch',
  path: '/admin/users/{id}/role',
  tags: ['admin'],
  summary: 'Change an account’s role',
  description:
    'Admin only (editors get 403). Written to the audit log with the role before and after. Every session of the ' +
    'account ends at once, so the new role applies from its next sign-in and no token with the old role stays ' +
    'usable. Setting the role it already has changes nothing. An admin cannot change their own role (409).',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('admin'), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: { params: UserIdParams, body: { required: true, content: { 'application/json': { schema: PatchUserRoleBody } } } },
  responses: {
    200: { description: 'The role now in force.', content: { 'application/json': { schema: RoleChanged } } },
    400: errorResponse('VALIDATION_FAILED'),
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: not an admin.'),
    404: errorResponse('NOT_FOUND: no such user.'),
    409: errorResponse('CONFLICT: your own role.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPatchUserRole(app: Router): void {
  app.openapi(patchUserRoleRoute, async (c) => {
    const row = await changeUserRole(authDeps(c), {
      actorId: currentAuth(c).userId,
      userId: c.req.valid('param').id,
      role: c.req.valid('json').role,
      requestId: c.get('requestId'),
    });
    return c.json({ id: row.userId, before: row.before, role: row.after, sessionsRevoked: row.sessionIds.length }, 200);
  });
}
