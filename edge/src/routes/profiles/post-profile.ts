// POST /profiles: add a viewer profile, within the plan's profile limit.
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { currentAuth, requireAuth } from '../../middleware/auth.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';
import { createProfile } from '../../services/profiles/create-profile.ts';
import { bearerSecurity } from '../auth/schemas.ts';
import { KIDS_MAX_MATURITY, MaturityCapSchema, ProfileNameSchema, ProfileSchema, toProfile } from './profile-schemas.ts';

export const PostProfileBody = z
  .object({
    name: ProfileNameSchema,
    kids: z.boolean().default(false).openapi({ description: 'A kids profile: maturity capped at 12.' }),
    maturityCap: MaturityCapSchema.optional().openapi({ description: 'Default: 7 for kids, 18 otherwise. Kids: at most 12.' }),
    locale: z.enum(['fa', 'en']).optional().openapi({ description: 'Default: the account’s locale.' }),
  })
  .strict()
  .refine((b) => !b.kids || b.maturityCap === undefined || b.maturityCap <= KIDS_MAX_MATURITY, {
    path: ['maturityCap'],
    message: `a kids profile allows a maturity cap of at most ${KIDS_MAX_MATURITY}`,
  })
  .openapi('CreateProfileRequest');

export const postProfileRoute = createRoute({
  method: 'post',
  path: '/profiles',
  tags: ['profiles'],
  summary: 'Add a profile',
  description:
    'Profiles per account are limited by plan (free 1, basic 2, standard 4, premium 5). At the limit the answer is 409 ' +
    'CONFLICT with `details.reason: "profile_limit"` and `details.profiles` listing the current ones; a name the ' +
    'account already uses is 409 with `details.reason: "name_taken"`.',
  security: bearerSecurity,
  middleware: [requireAuth(), rateLimit({ class: 'write', key: 'ip+user' })] as const,
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: PostProfileBody, examples: { kids: { value: { name: 'Kids', kids: true, maturityCap: 7 } }, adult: { value: { name: 'Sara' } } } } },
    },
  },
  responses: {
    201: { description: 'Created.', content: { 'application/json': { schema: ProfileSchema } } },
    400: errorResponse('VALIDATION_FAILED: e.g. a kids profile above maturity 12.'),
    401: errorResponse('UNAUTHORIZED'),
    409: errorResponse('CONFLICT: profile limit reached, or the name is taken.'),
    429: errorResponse('RATE_LIMITED'),
  },
});

export function registerPostProfile(app: Router): void {
  app.openapi(postProfileRoute, async (c) => {
    const body = c.req.valid('json');
    const row = await createProfile(c.get('services'), {
      userId: currentAuth(c).userId,
      name: body.name,
      kids: body.kids,
      maturityCap: body.maturityCap ?? null,
      locale: body.locale ?? null,
    });
    return c.json(toProfile(row), 201);
  });
}
