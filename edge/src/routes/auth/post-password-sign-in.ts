// POST /auth/password/sign-in: email + password.
import { createRoute, z } from '@hono/zod-openapi';
import { authDeps } from '../../lib/auth/context.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { signInWithPassword } from '../../services/auth/sign-in-with-password.ts';
import { DeviceSchema, EmailSchema, SessionTokensSchema } from './schemas.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';

export const PostPasswordSignInBody = z
  .object({
    email: EmailSchema,
    // Not PasswordSchema: an old password shorter than today's minimum must still sign in.
    password: z.string().min(1).max(1024).openapi({ example: 'correct horse battery staple' }),
    device: DeviceSchema,
  })
  .strict()
  .openapi('PasswordSignInRequest');

export const postPasswordSignInRoute = createRoute({
  method: 'post',
  path: '/auth/password/sign-in',
  tags: ['auth'],
  summary: 'Sign in with email and password',
  description:
    'Opens a session on the given device. An unknown email, an account without a password, a wrong password and a ' +
    'disabled account all answer the same 401 in about the same time.',
  middleware: [rateLimit({ class: 'auth', key: 'ip' })] as const,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: PostPasswordSignInBody,
          example: { email: 'sara@example.com', password: 'correct horse battery staple', device: { installId: 'web-5c7d9e1f', platform: 'web' } },
        },
      },
    },
  },
  responses: {
    200: { description: 'Signed in.', content: { 'application/json': { schema: SessionTokensSchema } } },
    400: errorResponse('VALIDATION_FAILED'),
    401: errorResponse('UNAUTHORIZED: "Invalid email or password".'),
    403: errorResponse('FORBIDDEN: the account was disabled during sign-in.'),
    409: errorResponse('CONFLICT: the device limit of the plan is reached (`details.reason: "device_limit"`, `details.devices`: the devices to remove).'),
    429: errorResponse('RATE_LIMITED: too many requests from this address; wait Retry-After seconds.'),
    503: errorResponse('UNAVAILABLE: the rate limiter cannot be reached (this route fails closed).'),
  },
});

export function registerPostPasswordSignIn(app: Router): void {
  app.openapi(postPasswordSignInRoute, async (c) => {
    const body = c.req.valid('json');
    const tokens = await signInWithPassword(authDeps(c), {
      email: body.email,
      password: body.password,
      device: { ...body.device, userAgent: c.req.header('User-Agent')?.slice(0, 512) ?? null },
    });
    return c.json(tokens, 200);
  });
}
