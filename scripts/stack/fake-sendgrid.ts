// A local stand-in for SendGrid's v3 Mail Send API
// (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send):
//   POST /v3/mail/send, Authorization: Bearer <API key>, JSON body with
//   personalizations[].to[].email, from.email, subject, content[{type, value}].
// Answers like the real one: 202 with an empty body when accepted, 401 with
// { errors: [...] } for a missing or wrong key, 400 with one error per problem
// ({ message, field, help }) for a malformed request, 413 past 20 MB.
//
// Dev/test only: GET /_outbox?to=<email> lists the last messages to it.
import http from 'node:http';
import { readJsonBody, sendJson, closeServer, listenLoopback } from './http-util.ts';
import { Outbox } from './outbox.ts';

export interface FakeSendGrid {
  url: string;
  outbox: Outbox;
  close(): Promise<void>;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

interface FieldError {
  message: string;
  field: string | null;
  help: string | null;
}

export async function startFakeSendGrid(opts: { port: number; apiKey: string }): Promise<FakeSendGrid> {
  const outbox = new Outbox();

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/_outbox') {
        const to = (url.searchParams.get('to') ?? '').toLowerCase();
        return sendJson(res, 200, { messages: outbox.last(to, Number(url.searchParams.get('limit') ?? 5)) });
      }
      if (url.pathname !== '/v3/mail/send') return sendJson(res, 404, { errors: [{ message: 'Not Found', field: null, help: null }] });
      if (req.method !== 'POST') return sendJson(res, 405, { errors: [{ message: 'Method Not Allowed', field: null, help: null }] });
      if (req.headers.authorization !== `Bearer ${opts.apiKey}`) {
        return sendJson(res, 401, {
          errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null }],
        });
      }
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendJson(res, 400, { errors: [{ message: 'Content-Type should be application/json.', field: null, help: null }] });
      }
      let body: unknown;
      try {
        body = await readJsonBody(req);
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'Bad Request', field: null, help: null }] });
      }
      const { errors, recipients, subject, text } = check(body);
      if (errors.length > 0) return sendJson(res, 400, { errors });
      for (const to of recipients) outbox.add({ to, subject, body: text });
      res.writeHead(202, { 'x-message-id': crypto.randomUUID().replaceAll('-', '') });
      res.end();
    } catch (err) {
      sendJson(res, 500, { errors: [{ message: err instanceof Error ? err.message : String(err), field: null, help: null }] });
    }
  });
  await listenLoopback(server, opts.port);
  return {
    url: `http://127.0.0.1:${opts.port}`,
    outbox,
    close: async () => {
      await closeServer(server);
    },
  };
}

function check(body: unknown): { errors: FieldError[]; recipients: string[]; subject: string; text: string } {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ message, field, help: null });
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, any>;
  const recipients: string[] = [];

  if (!Array.isArray(b.personalizations) || b.personalizations.length === 0) {
    fail('personalizations', 'The personalizations field is required and must have at least one personalization.');
  } else {
    b.personalizations.forEach((p: any, i: number) => {
      if (!Array.isArray(p?.to) || p.to.length === 0) return fail(`personalizations.${i}.to`, 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.');
      p.to.forEach((t: any, j: number) => {
        if (typeof t?.email !== 'string' || !EMAIL.test(t.email)) fail(`personalizations.${i}.to.${j}.email`, 'Does not contain a valid address.');
        else recipients.push(t.email.toLowerCase());
      });
    });
  }
  if (typeof b.from?.email !== 'string' || !EMAIL.test(b.from.email)) fail('from.email', 'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.');
  const subject = typeof b.subject === 'string' ? b.subject : '';
  const personalSubject = Array.isArray(b.personalizations) && b.personalizations.every((p: any) => typeof p?.subject === 'string');
  if (!subject && !personalSubject && !b.template_id) fail('subject', 'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.');
  let text = '';
  if (!b.template_id) {
    if (!Array.isArray(b.content) || b.content.length === 0) {
      fail('content', 'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.');
    } else {
      b.content.forEach((c: any, i: number) => {
        if (typeof c?.type !== 'string' || typeof c?.value !== 'string' || c.value.length === 0) fail(`content.${i}`, 'Each content block must have a type and a non-empty value.');
      });
      const first = b.content.find((c: any) => c?.type === 'text/plain') ?? b.content[0];
      text = typeof first?.value === 'string' ? first.value : '';
    }
  }
  return { errors, recipients, subject, text };
}
