// POST /auth/password/reset: set a new password with an emailed reset code.
import { createRoute, z } from '@hono/zod-openapi';
import { authDeps } from '../../lib/auth/context.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { resetPassword } from '../../services/auth/reset-password.ts';
import { CodeSchema, EmailSchema, PasswordSchema } from './schemas.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';

export const PostPasswordResetBody = z
  .object({ email: EmailSchema, code: CodeSchema, newPassword: PasswordSchema })
  .strict()
  .openapi('PasswordResetRequest');

export const postPasswordResetRoute = createRoute({
  method: 'post',
  path: '/auth/password/reset',
  tags: ['auth'],
  summary: 'Reset the password with an emailed code',
  description:
    'Takes a `password_reset` code (POST /auth/otp/send with `purpose: "password_reset"`), sets the new password and ' +
    'signs the account out everywhere (every refresh token and access token stops working). A wrong code and an ' +
    'unknown email answer the same 401.',
  middleware: [rateLimit({ class: 'password-reset', key: 'ip' })] as const,
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: PostPasswordResetBody, example: { email: 'sara@example.com', code: '482913', newPassword: 'a new long passphrase' } } },
    },
  },
  responses: {
    204: { description: 'Password changed; sign in again.' },
    400: errorResponse('VALIDATION_FAILED: e.g. the new password is too short.'),
    401: errorResponse('UNAUTHORIZED: wrong, expired, used or burned code.'),
    429: errorResponse('RATE_LIMITED: too many requests from this address; wait Retry-After seconds.'),
    503: errorResponse('UNAVAILABLE: the rate limiter cannot be reached (this route fails closed).'),
  },
});

export function registerPostPasswordReset(app: Router): void {
  app.openapi(postPasswordResetRoute, async (c) => {
    const body = c.req.valid('json');
    await resetPassword(authDeps(c), body);
    return c.body(null, 204);
  });
}
