// Sign-in and sign-up with one-time codes (SMS and email) through the public
// API, against the real Redis and Postgres and the fake Kavenegar/SendGrid.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { createOtpStore, generateOtp } from '../src/lib/auth/otp.ts';
import { api, authSettings, issueCode, subscribe, lastCode, newDevice, outboxCount, sendCode, signInByPhone, testDb, testRedis, uniqueEmail, uniquePhone } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';

const verify = (body: Record<string, unknown>) => api('/auth/otp/verify', { body });

describe('phone + SMS code (happy path)', () => {
  it('signs up on the first code, normalizing 09xx to E.164, and the access token opens /me', async () => {
    const e164 = uniquePhone();
    const national = `0${e164.slice(3)}`; // +98912... -> 0912...
    const sent = await sendCode({ channel: 'sms', phone: national });
    expect(sent.status).toBe(202);
    expect(await sent.json()).toEqual({ status: 'sent', expiresInSeconds: authSettings().otpTtl });

    const code = await lastCode(e164);
    expect(code).toMatch(/^\d{6}$/);
    const res = await verify({ channel: 'sms', phone: national, code, device: newDevice() });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as any;
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: authSettings().accessTokenTtl, user: { role: 'viewer' } });
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await api('/me', { token: tokens.accessToken });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: tokens.user.id, phone: e164, phoneVerified: true, email: null, role: 'viewer', tier: 'free', hasPassword: false });
  });

  it('signs the same phone in again to the same account; a second device needs a tier that allows it', async () => {
    const phoneDevice = newDevice('android');
    const first = await signInByPhone(undefined, phoneDevice);
    // Same install again: same device row, a new session.
    const again = await signInByPhone(first.phone, phoneDevice, true);
    expect(again.user.id).toBe(first.user.id);
    expect(again.sessionId).not.toBe(first.sessionId);

    // The free tier allows one device: a second install is refused with the list to choose from.
    const tv = newDevice('tv');
    const refused = await verify({ channel: 'sms', phone: first.phone, code: await issueCode('sign_in', first.phone), device: tv });
    const body = await expectEnvelope(refused, 409, 'CONFLICT');
    expect(body.error.details).toMatchObject({ reason: 'device_limit', tier: 'free', maxDevices: 1, devices: [{ platform: 'android' }] });

    await subscribe(first.user.id, 'standard');
    const onTv = await signInByPhone(first.phone, tv, true);
    expect(onTv.user.id).toBe(first.user.id);
    const devices = await testDb().run(sql<{ n: number }>(`SELECT count(*)::int AS n FROM devices WHERE user_id = $1`, [first.user.id]));
    expect(devices[0]!.n).toBe(2);
  });
});

describe('email + code, and sign-up with email + password', () => {
  it('creates the account with a password, which then signs in', async () => {
    const email = uniqueEmail();
    expect((await sendCode({ channel: 'email', email: email.toUpperCase(), locale: 'en' })).status).toBe(202);
    const laptop = newDevice('web');
    const res = await verify({ channel: 'email', email, code: await lastCode(email), password: 'a long enough passphrase', device: laptop });
    expect(res.status).toBe(200);
    const me = (await (await api('/me', { token: ((await res.json()) as any).accessToken })).json()) as any;
    expect(me).toMatchObject({ email, emailVerified: true, hasPassword: true, phone: null });

    const signIn = await api('/auth/password/sign-in', { body: { email, password: 'a long enough passphrase', device: laptop } });
    expect(signIn.status).toBe(200);
  });

  it('refuses to replace an existing password through a sign-in code (409), leaving it unchanged', async () => {
    const email = uniqueEmail();
    await sendCode({ channel: 'email', email });
    const device = newDevice();
    await verify({ channel: 'email', email, code: await lastCode(email), password: 'first password 1', device });
    await sendCode({ channel: 'email', email, purpose: 'sign_in' }).then(async (r) => expect(r.status).toBe(429)); // 30 s cooldown
    const code = await issueCode('sign_in', email);
    const res = await verify({ channel: 'email', email, code, password: 'second password 2', device });
    await expectEnvelope(res, 409, 'CONFLICT');
    const ok = await api('/auth/password/sign-in', { body: { email, password: 'first password 1', device } });
    expect(ok.status).toBe(200);
  });
});

describe('code security', () => {
  const otp = () => createOtpStore(testRedis(), { secret: authSettings().otpSecret, ttlSeconds: authSettings().otpTtl });

  it('generates 6-digit codes spread over the whole range', () => {
    const codes = Array.from({ length: 2000 }, generateOtp);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    const firstDigits = new Set(codes.map((c) => c[0]));
    expect(firstDigits.size).toBe(10);
  });

  it('stores only a keyed hash, with a TTL of at most 10 minutes', async () => {
    const phone = uniquePhone();
    await sendCode({ channel: 'sms', phone });
    const code = await lastCode(phone);
    const redis = testRedis();
    const key = await otp().keyFor('sign_in', phone);
    expect(key).not.toContain(phone.slice(1));
    const stored = await redis.hgetall<Record<string, string>>(key);
    expect(JSON.stringify(stored)).not.toContain(code);
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it('refuses an expired code', async () => {
    const phone = uniquePhone();
    await sendCode({ channel: 'sms', phone });
    const code = await lastCode(phone);
    const redis = testRedis();
    const key = await otp().keyFor('sign_in', phone);
    await redis.pexpire(key, 1);
    await new Promise((r) => setTimeout(r, 20));
    await expectEnvelope(await verify({ channel: 'sms', phone, code, device: newDevice() }), 401, 'UNAUTHORIZED');
  });

  it('is single use', async () => {
    const phone = uniquePhone();
    await sendCode({ channel: 'sms', phone });
    const code = await lastCode(phone);
    expect((await verify({ channel: 'sms', phone, code, device: newDevice() })).status).toBe(200);
    await expectEnvelope(await verify({ channel: 'sms', phone, code, device: newDevice() }), 401, 'UNAUTHORIZED');
  });

  it('is burned after 5 wrong tries: the right code fails on the sixth', async () => {
    const phone = uniquePhone();
    await sendCode({ channel: 'sms', phone });
    const code = await lastCode(phone);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) await expectEnvelope(await verify({ channel: 'sms', phone, code: wrong, device: newDevice() }), 401, 'UNAUTHORIZED');
    await expectEnvelope(await verify({ channel: 'sms', phone, code, device: newDevice() }), 401, 'UNAUTHORIZED');
  });

  it('still accepts the right code after 4 wrong tries', async () => {
    const phone = uniquePhone();
    await sendCode({ channel: 'sms', phone });
    const code = await lastCode(phone);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 4; i++) await verify({ channel: 'sms', phone, code: wrong, device: newDevice() });
    expect((await verify({ channel: 'sms', phone, code, device: newDevice() })).status).toBe(200);
  });

  it('is bound to its recipient and purpose', async () => {
    const phone = uniquePhone();
    const other = uniquePhone();
    await sendCode({ channel: 'sms', phone });
    const code = await lastCode(phone);
    await expectEnvelope(await verify({ channel: 'sms', phone: other, code, device: newDevice() }), 401, 'UNAUTHORIZED');
    // A reset code never signs in.
    const email = uniqueEmail();
    const resetCode = await otp().issue('password_reset', email);
    await expectEnvelope(await verify({ channel: 'email', email, code: resetCode, device: newDevice() }), 401, 'UNAUTHORIZED');
    // The original is still good for its own phone.
    expect((await verify({ channel: 'sms', phone, code, device: newDevice() })).status).toBe(200);
  });

  it('throttles sends per recipient (429 with Retry-After) and per IP', async () => {
    const phone = uniquePhone();
    expect((await sendCode({ channel: 'sms', phone })).status).toBe(202);
    const again = await sendCode({ channel: 'sms', phone });
    await expectEnvelope(again, 429, 'RATE_LIMITED');
    expect(Number(again.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await outboxCount(phone)).toBe(1);

    // Per IP, the route's otp-send class (10 per 15 min, RATE_LIMITS) refuses
    // first; the store's own 30 per hour per IP stays as the hourly ceiling.
    const ip = `10.250.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await api('/auth/otp/send', { ip, body: { channel: 'sms', phone: uniquePhone() } })).status);
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('validates the phone number', async () => {
    const res = await sendCode({ channel: 'sms', phone: '12345' });
    const body = await expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(body.error.details.issues[0].path).toBe('body.phone');
  });
});
