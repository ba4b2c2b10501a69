// The per-isolate memo in front of the Redis deny list (edge/src/lib/auth/revocation.ts):
// a revocation written by another isolate (simulated by writing the Redis key
// directly) is seen at once with the memo off, and within AUTH_REVOCATION_CACHE_MS
// with it on; this isolate's own revocations apply at once either way.
import { describe, expect, it } from 'vitest';
import { api, signInByPhone, testRedis, uniqueIp } from './auth-helpers.ts';
import { call, envWith, expectEnvelope } from './helpers.ts';

const revokeElsewhere = (sessionId: string) => testRedis().set(`auth:revoked-sid:${sessionId}`, '1', { ex: 60 });

const me = (token: string, bindings = envWith({})) =>
  call('/api/v1/me', { headers: { Authorization: `Bearer ${token}`, 'CF-Connecting-IP': uniqueIp() } }, bindings);

describe('revoked-session memo', () => {
  it('with the memo off, a revocation from another isolate applies to the next request', async () => {
    const s = await signInByPhone();
    const noMemo = envWith({ AUTH_REVOCATION_CACHE_MS: '0' });
    expect((await me(s.accessToken, noMemo)).status).toBe(200);
    await revokeElsewhere(s.sessionId);
    await expectEnvelope(await me(s.accessToken, noMemo), 401, 'UNAUTHORIZED');
  });

  it('with the memo on, a revocation from another isolate applies once the memo window has passed', async () => {
    const s = await signInByPhone();
    const memo = envWith({ AUTH_REVOCATION_CACHE_MS: '200' });
    expect((await me(s.accessToken, memo)).status).toBe(200);
    await revokeElsewhere(s.sessionId);
    await new Promise((r) => setTimeout(r, 300));
    await expectEnvelope(await me(s.accessToken, memo), 401, 'UNAUTHORIZED');
  });

  it("this isolate's own sign-out applies at once, memo or not", async () => {
    const s = await signInByPhone();
    expect((await api('/me', { token: s.accessToken })).status).toBe(200);
    expect((await api('/auth/logout', { method: 'POST', token: s.accessToken, body: { refreshToken: s.refreshToken } })).status).toBe(204);
    await expectEnvelope(await api('/me', { token: s.accessToken }), 401, 'UNAUTHORIZED');
  });

  it('refuses a memo longer than 5 s as a configuration error', async () => {
    const s = await signInByPhone();
    const res = await me(s.accessToken, envWith({ AUTH_REVOCATION_CACHE_MS: '60000' }));
    const body = await expectEnvelope(res, 500, 'CONFIG_INVALID');
    expect(body.error.message).toContain('AUTH_REVOCATION_CACHE_MS');
  });
});
