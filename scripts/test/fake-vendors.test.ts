// The fake Kavenegar and SendGrid servers of the local stack must refuse what
// the real APIs refuse (key, request shape) and keep what they accepted.
import { describe, expect, it } from 'vitest';

const env = process.env as Record<string, string>;
const kavenegar = env.KAVENEGAR_BASE_URL!;
const sendgrid = env.SENDGRID_BASE_URL!;
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields),
});
const phone = () => `+98912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

describe('fake Kavenegar', () => {
  it('accepts verify/lookup with the right key and records the token under the E.164 number', async () => {
    const to = phone();
    const res = await fetch(`${kavenegar}/v1/${env.KAVENEGAR_API_KEY}/verify/lookup.json`, form({ receptor: `0${to.slice(3)}`, token: '123456', template: 'irdnl-otp' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.return).toEqual({ status: 200, message: 'تایید شد' });
    expect(body.entries[0]).toMatchObject({ receptor: to, status: 1 });
    const outbox = (await (await fetch(`${kavenegar}/_outbox?to=${encodeURIComponent(to)}`)).json()) as any;
    expect(outbox.messages[0]).toMatchObject({ to, token: '123456', template: 'irdnl-otp' });
  });

  it('accepts sms/send with receptor and message', async () => {
    const to = phone();
    const res = await fetch(`${kavenegar}/v1/${env.KAVENEGAR_API_KEY}/sms/send.json`, form({ receptor: to, message: 'سلام' }));
    expect(res.status).toBe(200);
    const outbox = (await (await fetch(`${kavenegar}/_outbox?to=${encodeURIComponent(to)}`)).json()) as any;
    expect(outbox.messages[0].body).toBe('سلام');
  });

  it('refuses a wrong API key (403), missing parameters (400), a bad receptor (411), a non-form body (400)', async () => {
    const bad = await fetch(`${kavenegar}/v1/wrong-key/verify/lookup.json`, form({ receptor: phone(), token: '1', template: 't' }));
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as any).return.status).toBe(403);
    expect((await fetch(`${kavenegar}/v1/${env.KAVENEGAR_API_KEY}/verify/lookup.json`, form({ receptor: phone(), token: '1' }))).status).toBe(400);
    expect((await fetch(`${kavenegar}/v1/${env.KAVENEGAR_API_KEY}/verify/lookup.json`, form({ receptor: '12', token: '1', template: 't' }))).status).toBe(411);
    const json = await fetch(`${kavenegar}/v1/${env.KAVENEGAR_API_KEY}/sms/send.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ receptor: phone(), message: 'x' }),
    });
    expect(json.status).toBe(400);
  });
});

describe('fake SendGrid', () => {
  const mail = (to: string) => ({
    personalizations: [{ to: [{ email: to }] }],
    from: { email: env.EMAIL_FROM },
    subject: 'Your code',
    content: [{ type: 'text/plain', value: 'Your code is 654321.' }],
  });
  const send = (body: unknown, key = env.SENDGRID_API_KEY) =>
    fetch(`${sendgrid}/v3/mail/send`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('answers 202 with an empty body and records the message per recipient', async () => {
    const to = `x-${Math.random()}@example.com`;
    const res = await send(mail(to));
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    const outbox = (await (await fetch(`${sendgrid}/_outbox?to=${encodeURIComponent(to.toUpperCase())}`)).json()) as any;
    expect(outbox.messages[0]).toMatchObject({ to, subject: 'Your code', body: 'Your code is 654321.' });
  });

  it('refuses a wrong key with 401 and a malformed request with 400 naming the fields', async () => {
    const unauthorized = await send(mail('a@example.com'), 'SG.wrong');
    expect(unauthorized.status).toBe(401);
    expect(((await unauthorized.json()) as any).errors[0].message).toMatch(/authorization grant is invalid/);
    const res = await send({ personalizations: [{ to: [{ email: 'not-an-email' }] }], content: [] });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as any).errors.map((e: any) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['personalizations.0.to.0.email', 'from.email', 'subject', 'content']));
  });
});
