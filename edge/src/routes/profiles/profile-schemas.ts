import { z } from '@hono/zod-openapi';

/** The highest content maturity rating (minimum viewer age) the profile may see. */
export const MaturityCapSchema = z
  .union([z.literal(0), z.literal(7), z.literal(12), z.literal(15), z.literal(18)])
  .openapi({ description: 'Highest maturity rating shown: 0, 7, 12, 15 or 18. Kids profiles: 12 at most.', example: 12 });

/** Kids profiles are capped at 12 (the table says so too: profiles_kids_capped). */
export const KIDS_MAX_MATURITY = 12;

export const ProfileSchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: 'Sara' }),
    isKids: z.boolean(),
    maturityCap: MaturityCapSchema,
    locale: z.enum(['fa', 'en']),
    avatarKey: z.string().nullable(),
    createdAt: z.string().openapi({ example: '2026-04-01T10:00:00.000Z' }),
  })
  .openapi('Profile');
export type Profile = z.infer<typeof ProfileSchema>;

export const ProfileNameSchema = z.string().trim().min(1).max(50).openapi({ example: 'Kids' });

export const ProfileIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '6a1f3c2e-8b4d-4e5f-9a7b-1c2d3e4f5a6b' }),
});

export { toProfile } from '../../services/profiles/profile-errors.ts';
