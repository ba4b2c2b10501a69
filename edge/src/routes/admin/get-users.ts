// GET /admin/users: list and search accounts (admin only), newest first, with
// an opaque keyset cursor.
import { createRoute, z } from '@hono/zod-openapi';
import { listUsers } from '../../../../db/sql/users.ts';
import { CursorSchema, page } from '../../lib/cursor.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { AdminUserSchema, RoleSchema, toAdminUser } from './admin-schemas.ts';

export const MAX_PAGE_SIZE = 100;

export const GetUsersQuery = z
  .object({
    q: z
      .string()
      .trim()
      .min(1)
      .max(254)
      // The Iranian national form of a phone prefix searches the stored E.164 form.
      .transform((s) => (/^0\d*$/.test(s) ? `+98${s.slice(1)}` : s))
      .optional()
      .openapi({ description: 'Prefix of the email (any case) or of the phone (+98912..., or 0912...).', example: 'sara@' }),
    role: RoleSchema.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20).openapi({ description: `Page size, 1-${MAX_PAGE_SIZE}.`, example: 20 }),
    cursor: CursorSchema.optional(),
  })
  .strict();

const UserPage = z.object({ users: z.array(AdminUserSchema), nextCursor: z.string().nullable() }).openapi('AdminUserPage');

export const getUsersRoute = createRoute({
  method: 'get',
  path: '/admin/users',
  tags: ['admin'],
  summary: 'List and search accounts',
  description: 'Admin only. Newest first; pass `nextCursor` back as `cursor` for the next page (null on the last page).',
  security: bearerSecurity,
  middleware: [requireAuth(), requireRole('admin'), rateLimit({ class: 'read', key: 'ip+user' })] as const,
  request: { query: GetUsersQuery },
  responses: {
    200: { description: 'One page of accounts.', content: { 'application/json': { schema: UserPage } } },
    400: errorResponse('VALIDATION_FAILED: a malformed cursor, an unknown role, a page size above the cap.'),
    401: errorResponse('UNAUTHORIZED'),
    403: errorResponse('FORBIDDEN: not an admin.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerGetUsers(app: Router): void {
  app.openapi(getUsersRoute, async (c) => {
    const query = c.req.valid('query');
    // One extra row tells whether there is a next page without a count query.
    const rows = await c.get('services').db.run(
      listUsers({ prefix: query.q, role: query.role, after: query.cursor && { createdAt: query.cursor.at, id: query.cursor.id }, limit: query.limit + 1 }),
    );
    const { items, nextCursor } = page(rows, query.limit);
    return c.json({ users: items.map(toAdminUser), nextCursor }, 200);
  });
}
