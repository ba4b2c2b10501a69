import { z } from '@hono/zod-openapi';
import type { AdminUserRow } from '../../../../db/sql/users.ts';

export const RoleSchema = z.enum(['viewer', 'editor', 'admin']);

export const AdminUserSchema = z
  .object({
    id: z.uuid(),
    email: z.string().nullable().openapi({ example: 'sara@example.com' }),
    phone: z.string().nullable().openapi({ example: '+989121234567' }),
    role: RoleSchema,
    tier: z.string().openapi({ example: 'free' }),
    displayName: z.string().nullable(),
    disabled: z.boolean(),
    lastSignInAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('AdminUser');
export type AdminUser = z.infer<typeof AdminUserSchema>;

export const UserIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '3f0c1a9e-5b7d-4c2e-9a61-0d8e7f6b5a43' }),
});

export function toAdminUser(row: AdminUserRow): AdminUser {
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    role: row.role,
    tier: row.tier,
    displayName: row.displayName,
    disabled: row.disabledAt !== null,
    lastSignInAt: row.lastSignInAt === null ? null : new Date(row.lastSignInAt).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
