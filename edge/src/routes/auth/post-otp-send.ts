// POST /auth/otp/send: text or email a 6-digit code (sign-in/sign-up, or
// password reset by email). Always 202 with the same body, whether or not an
// account exists.
import { createRoute, z } from '@hono/zod-openapi';
import { clientIp, notifyDeps } from '../../lib/auth/context.ts';
import { errorResponse } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';
import { sendOtp } from '../../services/auth/send-otp.ts';
import { EmailSchema, LocaleSchema, PhoneSchema } from './schemas.ts';
import { rateLimit } from '../../middleware/rate-limit.ts';

export const PostOtpSendBody = z
  .discriminatedUnion('channel', [
    z.object({ channel: z.literal('sms'), phone: PhoneSchema, purpose: z.literal('sign_in').default('sign_in'), locale: LocaleSchema.default('fa') }).strict(),
    z.object({ channel: z.literal('email'), email: EmailSchema, purpose: z.enum(['sign_in', 'password_reset']).default('sign_in'), locale: LocaleSchema.default('fa') }).strict(),
  ])
  .openapi('OtpSendRequest');
export type PostOtpSendBody = z.infer<typeof PostOtpSendBody>;

const Accepted = z.object({ status: z.literal('sent'), expiresInSeconds: z.number().int() }).openapi('OtpSent');

export const postOtpSendRoute = createRoute({
  method: 'post',
  path: '/auth/otp/send',
  tags: ['auth'],
  summary: 'Send a one-time code',
  description:
    'Sends a 6-digit code by SMS (Kavenegar) or email (SendGrid). `sign_in` codes sign in, or create the account on ' +
    'first use; `password_reset` (email only) codes are for POST /auth/password/reset. The answer is the same 202 ' +
    'whether or not an account exists. A new code replaces the previous one. Limits: one code per recipient per 30 s, ' +
    '5 per hour, 30 per hour per IP (429 RATE_LIMITED with Retry-After).',
  middleware: [rateLimit({ class: 'otp-send', key: 'ip' })] as const,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: PostOtpSendBody,
          examples: {
            sms: { value: { channel: 'sms', phone: '09121234567' } },
            email: { value: { channel: 'email', email: 'sara@example.com', locale: 'en' } },
            passwordReset: { value: { channel: 'email', email: 'sara@example.com', purpose: 'password_reset' } },
          },
        },
      },
    },
  },
  responses: {
    202: { description: 'Sent (or, for a reset of an unknown email, silently not sent).', content: { 'application/json': { schema: Accepted } } },
    400: errorResponse('VALIDATION_FAILED: bad phone or email.'),
    429: errorResponse('RATE_LIMITED: too many codes for this recipient or IP.'),
    503: errorResponse('UNAVAILABLE: the rate limiter cannot be reached (this route fails closed).'),
  },
});

export function registerPostOtpSend(app: Router): void {
  app.openapi(postOtpSendRoute, async (c) => {
    const body = c.req.valid('json');
    const { expiresInSeconds } = await sendOtp(notifyDeps(c), {
      channel: body.channel,
      recipient: body.channel === 'sms' ? body.phone : body.email,
      purpose: body.purpose,
      ip: clientIp(c),
      locale: body.locale,
    });
    return c.json({ status: 'sent' as const, expiresInSeconds }, 202);
  });
}
