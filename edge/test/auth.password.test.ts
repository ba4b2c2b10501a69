// Email + password sign-in, enumeration-safe answers, rehash on sign-in and
// password reset by emailed code.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { hashPassword, parsePhc, PASSWORD_PARAMS } from '../src/lib/auth/password.ts';
import { api, errorWithoutRequestId, issueCode, lastCode, newDevice, outboxCount, sendCode, testDb, uniqueEmail } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';

async function userWithPassword(password: string, hash?: string): Promise<{ id: string; email: string }> {
  const email = uniqueEmail();
  const rows = await testDb().run(
    sql<{ id: string }>(`INSERT INTO users (email, email_verified_at, password_hash) VALUES ($1, now(), $2) RETURNING id`, [email, hash ?? (await hashPassword(password))]),
  );
  return { id: rows[0]!.id, email };
}

// One install per account: the free tier allows one device.
const devices = new Map<string, ReturnType<typeof newDevice>>();
const deviceOf = (email: string) => devices.get(email.toLowerCase()) ?? devices.set(email.toLowerCase(), newDevice('web')).get(email.toLowerCase())!;
const signIn = (email: string, password: string) => api('/auth/password/sign-in', { body: { email, password, device: deviceOf(email) } });

describe('email + password sign-in', () => {
  it('signs in with the right password (email compared case-insensitively)', async () => {
    const user = await userWithPassword('right password');
    const res = await signIn(user.email.toUpperCase(), 'right password');
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).user.id).toBe(user.id);
  });

  it('answers a wrong password, an unknown email, a password-less and a disabled account identically', async () => {
    const user = await userWithPassword('right password');
    const disabled = await userWithPassword('right password');
    await testDb().run(sql(`UPDATE users SET disabled_at = now() WHERE id = $1`, [disabled.id]));
    const noPassword = uniqueEmail();
    await testDb().run(sql(`INSERT INTO users (email) VALUES ($1)`, [noPassword]));

    const answers = [
      await signIn(user.email, 'wrong password'),
      await signIn(uniqueEmail(), 'wrong password'),
      await signIn(noPassword, 'wrong password'),
      await signIn(disabled.email, 'right password'),
    ];
    const bodies = await Promise.all(answers.map(errorWithoutRequestId));
    for (const b of bodies) expect(b).toEqual({ status: 401, error: { code: 'UNAUTHORIZED', message: 'Invalid email or password' } });
  });

  it('takes about as long for an unknown email as for a wrong password (a full hash both times)', async () => {
    const user = await userWithPassword('right password');
    const time = async (email: string) => {
      const start = performance.now();
      await signIn(email, 'wrong password');
      return performance.now() - start;
    };
    await time(user.email); // warm-up
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time(user.email));
      unknown.push(await time(uniqueEmail()));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
    // The hash dominates (tens of ms); without the dummy hash "unknown" would be a few ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });

  it('rehashes a hash with weaker parameters on sign-in', async () => {
    const weak = await hashPassword('upgrade me', { m: 8192, t: 1, p: 1 });
    const user = await userWithPassword('upgrade me', weak);
    expect((await signIn(user.email, 'upgrade me')).status).toBe(200);
    const [row] = await testDb().run(sql<{ h: string }>(`SELECT password_hash AS h FROM users WHERE id = $1`, [user.id]));
    expect(row!.h).not.toBe(weak);
    expect(parsePhc(row!.h)!.params).toEqual(PASSWORD_PARAMS);
    expect((await signIn(user.email, 'upgrade me')).status).toBe(200);
  });
});

describe('password reset by emailed code', () => {
  it('sets the new password and ends every session of the account', async () => {
    const user = await userWithPassword('old password');
    const session = (await (await signIn(user.email, 'old password')).json()) as any;
    expect((await sendCode({ channel: 'email', email: user.email, purpose: 'password_reset' })).status).toBe(202);
    const code = await lastCode(user.email);

    const res = await api('/auth/password/reset', { body: { email: user.email, code, newPassword: 'new password!' } });
    expect(res.status).toBe(204);
    await expectEnvelope(await signIn(user.email, 'old password'), 401, 'UNAUTHORIZED');
    expect((await signIn(user.email, 'new password!')).status).toBe(200);
    // The old session's access and refresh tokens are dead.
    await expectEnvelope(await api('/me', { token: session.accessToken }), 401, 'UNAUTHORIZED');
    await expectEnvelope(await api('/auth/token/refresh', { body: { refreshToken: session.refreshToken } }), 401, 'UNAUTHORIZED');
  });

  it('answers a reset request for an unknown email exactly like a known one, and sends nothing', async () => {
    const user = await userWithPassword('some password');
    const unknown = uniqueEmail();
    const a = await sendCode({ channel: 'email', email: user.email, purpose: 'password_reset' });
    const b = await sendCode({ channel: 'email', email: unknown, purpose: 'password_reset' });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(await a.json()).toEqual(await b.json());
    expect(await outboxCount(user.email)).toBe(1);
    expect(await outboxCount(unknown)).toBe(0);
  });

  it('answers a wrong code and an unknown email the same 401', async () => {
    const user = await userWithPassword('some password');
    const code = await issueCode('password_reset', user.email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const a = await api('/auth/password/reset', { body: { email: user.email, code: wrong, newPassword: 'whatever 123' } });
    const b = await api('/auth/password/reset', { body: { email: uniqueEmail(), code: '123456', newPassword: 'whatever 123' } });
    expect(await errorWithoutRequestId(a)).toEqual(await errorWithoutRequestId(b));
    expect(a.status).toBe(401);
  });

  it('refuses a sign-in code for a reset and a too-short new password', async () => {
    const user = await userWithPassword('some password');
    const signInCode = await issueCode('sign_in', user.email);
    await expectEnvelope(await api('/auth/password/reset', { body: { email: user.email, code: signInCode, newPassword: 'whatever 123' } }), 401, 'UNAUTHORIZED');
    const short = await api('/auth/password/reset', { body: { email: user.email, code: '123456', newPassword: 'short' } });
    await expectEnvelope(short, 400, 'VALIDATION_FAILED');
  });
});
