// The rate limiter wired on the real routes (classes in RATE_LIMITS). Each test
// uses its own CF-Connecting-IP, so no other test shares its counters.
import { describe, expect, it } from 'vitest';
import { RATE_LIMITS } from '../src/lib/rate-limit-policy.ts';
import { api, signInByPhone, subscribe, uniqueIp, uniquePhone } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';

describe('rate limits on the real routes', () => {
  it('POST /auth/otp/send answers 429 with Retry-After after its per-IP limit', async () => {
    const ip = uniqueIp();
    const { perIp, windowSeconds } = RATE_LIMITS['otp-send'];
    for (let i = 0; i < perIp; i++) {
      const res = await api('/auth/otp/send', { ip, body: { channel: 'sms', phone: uniquePhone() } });
      expect(res.status).toBe(202);
      expect(res.headers.get('RateLimit-Remaining')).toBe(String(perIp - i - 1));
    }
    const refused = await api('/auth/otp/send', { ip, body: { channel: 'sms', phone: uniquePhone() } });
    const body = await expectEnvelope(refused, 429, 'RATE_LIMITED');
    expect(body.error.details.scope).toBe('ip');
    const retryAfter = Number(refused.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    expect(refused.headers.get('RateLimit-Policy')).toBe(`${perIp};w=${windowSeconds}`);
    // Another address is not affected.
    expect((await api('/auth/otp/send', { body: { channel: 'sms', phone: uniquePhone() } })).status).toBe(202);
  });

  it('POST /auth/password/sign-in counts per IP in the auth class', async () => {
    const res = await api('/auth/password/sign-in', { body: { email: 'nobody@test.irdnl.dev', password: 'wrong password', device: { installId: 'install-12345678', platform: 'web' } } });
    expect(res.status).toBe(401);
    expect(res.headers.get('RateLimit-Policy')).toBe(`${RATE_LIMITS.auth.perIp};w=${RATE_LIMITS.auth.windowSeconds}`);
  });

  it('counts signed-in users at the tier in their access token', async () => {
    const s = await signInByPhone();
    const free = await api('/profiles', { token: s.accessToken });
    expect(free.status).toBe(200);
    expect(Number(free.headers.get('RateLimit-Limit'))).toBe(RATE_LIMITS.read.perUser!.free);
    await subscribe(s.user.id, 'premium');
    // The tier is read when a token is minted: a refresh brings the new one.
    const refreshed = (await (await api('/auth/token/refresh', { body: { refreshToken: s.refreshToken } })).json()) as { accessToken: string };
    const premium = await api('/profiles', { token: refreshed.accessToken });
    expect(Number(premium.headers.get('RateLimit-Limit'))).toBe(RATE_LIMITS.read.perUser!.premium);
    const write = await api('/profiles', { method: 'POST', token: refreshed.accessToken, body: { name: 'P' } });
    expect(write.status).toBe(201);
    expect(Number(write.headers.get('RateLimit-Limit'))).toBe(RATE_LIMITS.write.perUser!.premium);
  });
});
