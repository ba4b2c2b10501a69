// GET /admin/users: list and search accounts (admin only), newest first, with
// an opaque keyset cursor.
import { createRoute, z } from '@hono/zod-openapi';
import { listUsers } from '../../../../db/sql/users.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { requireAuth, requireRole } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { AdminUserSchema, RoleSchema, toAdminUser } from './admin-schemas.ts';

export const MAX_PAGE_SIZE = 100;

interface Cursor {
  createdAt: string;
  id: string;
}

// Postgres's text form of a timestamptz, as listUsers returns it (cursorAt).
const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify([cursor.createdAt, cursor.id])).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function decodeCursor(text: string): Cursor | undefined {
  try {
    const parsed = JSON.parse(atob(text.replaceAll('-', '+').replaceAll('_', '/'))) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [createdAt, id] = parsed as unknown[];
    if (typeof createdAt !== 'string' || !PG_TIMESTAMPTZ.test(createdAt) || typeof id !== 'string' || !UUID.test(id)) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}

const CursorSchema = z
  .string()
  .max(200)
  .transform((s, ctx) => {
    const cursor = decodeCursor(s);
    if (cursor) return cursor;
    ctx.addIssue({ code: 'custom', message: 'is not a cursor from a previous page' });
    return z.NEVER;
  })
  .openapi({ description: '`nextCursor` of the previous page.', type: 'string' });

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
    const rows = await c.var.services.db.run(listUsers({ prefix: query.q, role: query.role, after: query.cursor, limit: query.limit + 1 }));
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor = rows.length > query.limit && last ? encodeCursor({ createdAt: last.cursorAt, id: last.id }) : null;
    return c.json({ users: page.map(toAdminUser), nextCursor }, 200);
  });
}
