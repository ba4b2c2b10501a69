// GET /dev/outbox?to=<phone or email>: the last messages the local fake SMS
// and email servers received for a recipient, with the code in each. Only in
// ENVIRONMENT development or test (404 elsewhere) and absent from the docs:
// it reads the fakes' own /_outbox, which the real vendors do not have.
import { createRoute, z } from '@hono/zod-openapi';
import { normalizeEmail, normalizePhone } from '../../lib/auth/identifiers.ts';
import { ApiError } from '../../lib/errors.ts';
import type { Router } from '../../lib/openapi.ts';

const Message = z.object({ channel: z.enum(['sms', 'email']), to: z.string(), code: z.string().nullable(), subject: z.string().optional(), body: z.string(), sentAt: z.string() });

export const getOutboxRoute = createRoute({
  method: 'get',
  path: '/dev/outbox',
  hide: true,
  request: { query: z.object({ to: z.string().min(3).max(254), limit: z.coerce.number().int().min(1).max(20).default(5) }) },
  responses: { 200: { description: 'Newest first.', content: { 'application/json': { schema: z.object({ messages: z.array(Message) }) } } } },
});

interface FakeMessage {
  to: string;
  body: string;
  token?: string;
  subject?: string;
  sentAt: string;
}

export function registerGetOutbox(app: Router): void {
  app.openapi(getOutboxRoute, async (c) => {
    const env = c.get('config').environment;
    if (env !== 'development' && env !== 'test') throw new ApiError('NOT_FOUND', `No route for GET ${c.req.path}`);
    const { to, limit } = c.req.valid('query');
    const isEmail = to.includes('@');
    const recipient = isEmail ? normalizeEmail(to) : normalizePhone(to);
    if (!recipient) throw new ApiError('VALIDATION_FAILED', 'to must be a phone number or an email');
    const base = isEmail ? c.env.SENDGRID_BASE_URL : c.env.KAVENEGAR_BASE_URL;
    if (!base) throw new ApiError('NOT_FOUND', 'No local outbox configured');
    const res = await fetch(`${base}/_outbox?to=${encodeURIComponent(recipient)}&limit=${limit}`);
    if (!res.ok) throw new ApiError('UNAVAILABLE', `The local ${isEmail ? 'email' : 'SMS'} server answered ${res.status}`);
    const { messages } = (await res.json()) as { messages: FakeMessage[] };
    return c.json(
      {
        messages: messages.map((m) => ({
          channel: isEmail ? ('email' as const) : ('sms' as const),
          to: m.to,
          code: m.token ?? /\b(\d{6})\b/.exec(m.body)?.[1] ?? null,
          subject: m.subject,
          body: m.body,
          sentAt: m.sentAt,
        })),
      },
      200,
    );
  });
}
