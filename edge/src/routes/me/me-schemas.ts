import { z } from '@hono/zod-openapi';

export const MeSchema = z
  .object({
    id: z.uuid(),
    email: z.string().nullable().openapi({ example: 'sara@example.com' }),
    phone: z.string().nullable().openapi({ example: '+989121234567' }),
    emailVerified: z.boolean(),
    phoneVerified: z.boolean(),
    hasPassword: z.boolean(),
    role: z.enum(['viewer', 'editor', 'admin']),
    tier: z.string().openapi({ example: 'free' }),
    displayName: z.string().nullable().openapi({ example: 'Sara' }),
    locale: z.enum(['fa', 'en']),
    activeProfileId: z.uuid().nullable(),
    sessionId: z.uuid(),
    createdAt: z.string(),
  })
  .openapi('Me');
export type Me = z.infer<typeof MeSchema>;
