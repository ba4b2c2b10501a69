// Sessions: refresh rotation, reuse detection, logout, logout everywhere,
// disabled accounts and roles.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, issueCode, newDevice, signInByPhone, subscribe, testDb, type Tokens } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';

const refresh = (refreshToken: string) => api('/auth/token/refresh', { body: { refreshToken } });

async function familyState(sessionId: string) {
  const [row] = await testDb().run(
    sql<{ revokedReason: string | null; tokens: number; used: number }>(
      `SELECT f.revoked_reason AS "revokedReason",
              (SELECT count(*)::int FROM refresh_tokens t WHERE t.family_id = f.id) AS tokens,
              (SELECT count(*)::int FROM refresh_tokens t WHERE t.family_id = f.id AND t.used_at IS NOT NULL) AS used
       FROM refresh_token_families f WHERE f.id = $1`,
      [sessionId],
    ),
  );
  return row!;
}

describe('refresh rotation', () => {
  it('returns new tokens in the same session and uses up the presented refresh token', async () => {
    const first = await signInByPhone();
    const res = await refresh(first.refreshToken);
    expect(res.status).toBe(200);
    const second = (await res.json()) as Tokens;
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.refreshTokenExpiresAt).toBe(first.refreshTokenExpiresAt); // absolute lifetime
    expect((await api('/me', { token: second.accessToken })).status).toBe(200);

    const third = (await (await refresh(second.refreshToken)).json()) as Tokens;
    expect(third.sessionId).toBe(first.sessionId);
    expect(await familyState(first.sessionId)).toEqual({ revokedReason: null, tokens: 3, used: 2 });
  });

  it('revokes the whole family when a used refresh token is presented again (replay)', async () => {
    const first = await signInByPhone();
    const second = (await (await refresh(first.refreshToken)).json()) as Tokens;

    // The attacker replays the stolen, already-used token.
    await expectEnvelope(await refresh(first.refreshToken), 401, 'UNAUTHORIZED');
    expect((await familyState(first.sessionId)).revokedReason).toBe('reuse_detected');
    // The legitimate client's newest tokens are dead too: refresh and access.
    await expectEnvelope(await refresh(second.refreshToken), 401, 'UNAUTHORIZED');
    await expectEnvelope(await api('/me', { token: second.accessToken }), 401, 'UNAUTHORIZED');
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const first = await signInByPhone();
    const results = await Promise.all([refresh(first.refreshToken), refresh(first.refreshToken)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    expect((await familyState(first.sessionId)).tokens).toBe(2);
  });

  it('refuses an unknown, malformed or expired refresh token', async () => {
    await expectEnvelope(await refresh('A'.repeat(43)), 401, 'UNAUTHORIZED');
    await expectEnvelope(await refresh('not a token'), 400, 'VALIDATION_FAILED');
    const s = await signInByPhone();
    await testDb().run(sql(`UPDATE refresh_token_families SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = $1`, [s.sessionId]));
    await expectEnvelope(await refresh(s.refreshToken), 401, 'UNAUTHORIZED');
  });
});

describe('logout', () => {
  it('ends this session only: its access and refresh tokens stop, other sessions live on', async () => {
    const device = newDevice();
    const a = await signInByPhone(undefined, device);
    const b = await signInByPhone(a.phone, device, true); // a second session on the same install
    expect((await api('/auth/logout', { method: 'POST', token: a.accessToken })).status).toBe(204);
    await expectEnvelope(await api('/me', { token: a.accessToken }), 401, 'UNAUTHORIZED');
    await expectEnvelope(await refresh(a.refreshToken), 401, 'UNAUTHORIZED');
    expect((await familyState(a.sessionId)).revokedReason).toBe('sign_out');
    expect((await api('/me', { token: b.accessToken })).status).toBe(200);
    expect((await refresh(b.refreshToken)).status).toBe(200);
  });

  it('logout-all ends every session of the user and no one else’s', async () => {
    const a = await signInByPhone();
    await subscribe(a.user.id, 'basic');
    const b = await signInByPhone(a.phone, newDevice('tv'), true);
    const stranger = await signInByPhone();
    expect((await api('/auth/logout-all', { method: 'POST', token: a.accessToken })).status).toBe(204);
    for (const s of [a, b]) {
      await expectEnvelope(await api('/me', { token: s.accessToken }), 401, 'UNAUTHORIZED');
      await expectEnvelope(await refresh(s.refreshToken), 401, 'UNAUTHORIZED');
    }
    expect((await api('/me', { token: stranger.accessToken })).status).toBe(200);
  });

  it('needs an access token', async () => {
    const res = await api('/auth/logout', { method: 'POST' });
    await expectEnvelope(res, 401, 'UNAUTHORIZED');
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer /);
  });
});

describe('disabled accounts and roles', () => {
  async function admin(): Promise<Tokens> {
    const device = newDevice();
    const s = await signInByPhone(undefined, device);
    await testDb().run(sql(`UPDATE users SET role = 'admin' WHERE id = $1`, [s.user.id]));
    // A new sign-in carries the new role in its token.
    return signInByPhone(s.phone, device, true);
  }

  it('refuses a disabled account’s live access token at once, and its refresh token', async () => {
    const victim = await signInByPhone();
    expect((await api('/me', { token: victim.accessToken })).status).toBe(200);
    const boss = await admin();
    expect(boss.user.role).toBe('admin');
    expect((await api(`/admin/users/${victim.user.id}/disable`, { method: 'POST', token: boss.accessToken })).status).toBe(204);
    await expectEnvelope(await api('/me', { token: victim.accessToken }), 401, 'UNAUTHORIZED');
    await expectEnvelope(await refresh(victim.refreshToken), 401, 'UNAUTHORIZED');
    expect((await familyState(victim.sessionId)).revokedReason).toBe('account_disabled');
    // And a fresh code cannot sign it back in.
    const again = await api('/auth/otp/verify', { body: { channel: 'sms', phone: victim.phone, code: await issueCode('sign_in', victim.phone), device: newDevice() } });
    await expectEnvelope(again, 403, 'FORBIDDEN');
  });

  it('lets only admins disable accounts (viewer: 403), and answers 404 for an unknown id', async () => {
    const viewer = await signInByPhone();
    const other = await signInByPhone();
    await expectEnvelope(await api(`/admin/users/${other.user.id}/disable`, { method: 'POST', token: viewer.accessToken }), 403, 'FORBIDDEN');
    expect((await api('/me', { token: other.accessToken })).status).toBe(200);
    const boss = await admin();
    await expectEnvelope(await api(`/admin/users/${crypto.randomUUID()}/disable`, { method: 'POST', token: boss.accessToken }), 404, 'NOT_FOUND');
  });
});

describe('active profile', () => {
  const pidOf = (token: string) => JSON.parse(atob(token.split('.')[1]!.replaceAll('-', '+').replaceAll('_', '/'))).pid;
  const profileOf = async (userId: string, name: string) =>
    (await testDb().run(sql<{ id: string }>(`INSERT INTO profiles (user_id, name) VALUES ($1, $2) RETURNING id`, [userId, name])))[0]!.id;

  it('switches the session to a profile of the account; the token and every refresh carry it', async () => {
    const s = await signInByPhone();
    expect(pidOf(s.accessToken)).toBeNull();
    const kids = await profileOf(s.user.id, 'Kids');
    const res = await api('/auth/session/profile', { method: 'PUT', token: s.accessToken, body: { profileId: kids } });
    expect(res.status).toBe(200);
    const switched = (await res.json()) as { accessToken: string; profileId: string };
    expect(switched.profileId).toBe(kids);
    expect(pidOf(switched.accessToken)).toBe(kids);
    expect(await (await api('/me', { token: switched.accessToken })).json()).toMatchObject({ activeProfileId: kids });

    const refreshed = (await (await refresh(s.refreshToken)).json()) as Tokens;
    expect(pidOf(refreshed.accessToken)).toBe(kids);

    const cleared = await api('/auth/session/profile', { method: 'PUT', token: refreshed.accessToken, body: { profileId: null } });
    expect(pidOf(((await cleared.json()) as any).accessToken)).toBeNull();
  });

  it('refuses another user’s profile with 404 and leaves the session as it was', async () => {
    const a = await signInByPhone();
    const b = await signInByPhone();
    const theirs = await profileOf(b.user.id, 'B main');
    await expectEnvelope(await api('/auth/session/profile', { method: 'PUT', token: a.accessToken, body: { profileId: theirs } }), 404, 'NOT_FOUND');
    await expectEnvelope(await api('/auth/session/profile', { method: 'PUT', token: a.accessToken, body: { profileId: crypto.randomUUID() } }), 404, 'NOT_FOUND');
    const refreshed = (await (await refresh(a.refreshToken)).json()) as Tokens;
    expect(pidOf(refreshed.accessToken)).toBeNull();
  });
});
