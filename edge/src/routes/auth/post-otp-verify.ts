// POST /auth/otp/verify: sign in (or sign up) with the code; opens a session.
import { createRoute, z } from '@hono/zod-openapi';
import { authDeps } from '../../lib/auth/context.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { signInWithOtp } from '../../services/auth/sign-in-with-otp.ts';
import { CodeSchema, DeviceSchema, EmailSchema, LocaleSchema, PasswordSchema, PhoneSchema, SessionTokensSchema } from './schemas.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';

export const PostOtpVerifyBody = z
  .discriminatedUnion('channel', [
    z.object({ channel: z.literal('sms'), phone: PhoneSchema, code: CodeSchema, device: DeviceSchema, locale: LocaleSchema.default('fa') }).strict(),
    z
      .object({
        channel: z.literal('email'),
        email: EmailSchema,
        code: CodeSchema,
        device: DeviceSchema,
        locale: LocaleSchema.default('fa'),
        password: PasswordSchema.optional().openapi({ description: 'Sign-up with email + password: sets the password of an account that has none.' }),
      })
      .strict(),
  ])
  .openapi('OtpVerifyRequest');

export const postOtpVerifyRoute = createRoute({
  method: 'post',
  path: '/auth/otp/verify',
  tags: ['auth'],
  summary: 'Sign in with a one-time code',
  description:
    'Checks a `sign_in` code and opens a session on the given device. The first verified code for a phone or email ' +
    'creates the account. A code is single use, bound to the phone/email it was sent to, expires after ' +
    '`expiresInSeconds` and is burned after 5 wrong tries (then request a new one). Every failure answers the same ' +
    '401 UNAUTHORIZED.',
  middleware: [rateLimit({ class: 'otp-verify', key: 'ip' })] as const,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: PostOtpVerifyBody,
          examples: {
            sms: { value: { channel: 'sms', phone: '09121234567', code: '482913', device: { installId: 'b3f1c2d4-install-7a9e', platform: 'android', name: 'Pixel 8' } } },
            emailSignUpWithPassword: {
              value: { channel: 'email', email: 'sara@example.com', code: '482913', password: 'correct horse battery staple', device: { installId: 'web-5c7d9e1f', platform: 'web' } },
            },
          },
        },
      },
    },
  },
  responses: {
    200: { description: 'Signed in.', content: { 'application/json': { schema: SessionTokensSchema } } },
    400: errorResponse('VALIDATION_FAILED'),
    401: errorResponse('UNAUTHORIZED: wrong, expired, used or burned code.'),
    403: errorResponse('FORBIDDEN: the account is disabled.'),
    409: errorResponse('CONFLICT: `password` given but the account already has one; or the device limit of the plan is reached (`details.reason: "device_limit"`, `details.devices`: the devices to remove).'),
    429: errorResponse('RATE_LIMITED: too many requests from this address; wait Retry-After seconds.'),
    503: errorResponse('UNAVAILABLE: the rate limiter cannot be reached (this route fails closed).'),
  },
});

export function registerPostOtpVerify(app: Router): void {
  app.openapi(postOtpVerifyRoute, async (c) => {
    const body = c.req.valid('json');
    const tokens = await signInWithOtp(authDeps(c), {
      channel: body.channel,
      recipient: body.channel === 'sms' ? body.phone : body.email,
      code: body.code,
      device: { ...body.device, userAgent: c.req.header('User-Agent')?.slice(0, 512) ?? null },
      locale: body.locale,
      password: body.channel === 'email' ? body.password : undefined,
    });
    return c.json(tokens, 200);
  });
}
