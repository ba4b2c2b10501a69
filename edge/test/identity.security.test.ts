// Security cases across the identity routes: user A calling every id-taking
// route with user B's ids (404 for owned resources, 403 for admin routes,
// nothing changed), and missing or expired tokens (401) on every protected
// route.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { signAccessToken } from '../src/lib/auth/access-token.ts';
import { api, authSettings, insertProfile, signInByPhone, testDb } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';

async function snapshot(userId: string) {
  const [row] = await testDb().run(
    sql<{ devices: unknown; profiles: unknown; sessions: unknown; role: string; disabled: boolean }>(
      `SELECT u.role, u.disabled_at IS NOT NULL AS disabled,
              (SELECT json_agg(json_build_object('id', d.id, 'name', d.name, 'revoked', d.revoked_at IS NOT NULL) ORDER BY d.id) FROM devices d WHERE d.user_id = u.id) AS devices,
              (SELECT json_agg(json_build_object('id', p.id, 'name', p.name) ORDER BY p.id) FROM profiles p WHERE p.user_id = u.id) AS profiles,
              (SELECT json_agg(json_build_object('id', f.id, 'revoked', f.revoked_at IS NOT NULL, 'pid', f.active_profile_id) ORDER BY f.id) FROM refresh_token_families f WHERE f.user_id = u.id) AS sessions
       FROM users u WHERE u.id = $1`,
      [userId],
    ),
  );
  return row!;
}

describe('user A with user B’s ids', () => {
  it('answers 404 on every owned-resource route and 403 on admin routes, and changes nothing of B’s', async () => {
    const a = await signInByPhone();
    const b = await signInByPhone();
    await insertProfile(a.user.id, 'A main');
    const bProfile = await insertProfile(b.user.id, 'B main');
    const [bDevice] = await testDb().run(sql<{ id: string }>(`SELECT id FROM devices WHERE user_id = $1`, [b.user.id]));
    const before = await snapshot(b.user.id);

    const calls: [string, string, unknown, number][] = [
      ['PATCH', `/devices/${bDevice!.id}`, { name: 'pwned' }, 404],
      ['DELETE', `/devices/${bDevice!.id}`, undefined, 404],
      ['PATCH', `/profiles/${bProfile}`, { name: 'pwned' }, 404],
      ['DELETE', `/profiles/${bProfile}`, undefined, 404],
      ['PUT', '/auth/session/profile', { profileId: bProfile }, 404],
      ['PATCH', `/admin/users/${b.user.id}/role`, { role: 'admin' }, 403],
      ['POST', `/admin/users/${b.user.id}/disable`, undefined, 403],
      ['GET', `/admin/users?q=${encodeURIComponent(b.phone)}`, undefined, 403],
    ];
    for (const [method, path, body, status] of calls) {
      const res = await api(path, { method, token: a.accessToken, body });
      await expectEnvelope(res, status, status === 404 ? 'NOT_FOUND' : 'FORBIDDEN');
    }
    // An id that exists nowhere answers exactly like B's: no existence leak.
    const missing = await api(`/devices/${crypto.randomUUID()}`, { method: 'DELETE', token: a.accessToken });
    const theirs = await api(`/devices/${bDevice!.id}`, { method: 'DELETE', token: a.accessToken });
    expect((await missing.json() as { error: { message: string } }).error.message).toBe((await theirs.json() as { error: { message: string } }).error.message);

    expect(await snapshot(b.user.id)).toEqual(before);
    expect((await api('/me', { token: b.accessToken })).status).toBe(200);
    // A's own lists never show B's things.
    const aProfiles = (await (await api('/profiles', { token: a.accessToken })).json()) as { profiles: { id: string }[] };
    expect(aProfiles.profiles.map((p) => p.id)).not.toContain(bProfile);
    const aDevices = (await (await api('/devices', { token: a.accessToken })).json()) as { devices: { id: string }[] };
    expect(aDevices.devices.map((d) => d.id)).not.toContain(bDevice!.id);
  });
});

describe('missing and expired access tokens', () => {
  const id = '3f0c1a9e-5b7d-4c2e-9a61-0d8e7f6b5a43';
  const protectedRoutes: [string, string, unknown?][] = [
    ['GET', '/me'],
    ['PATCH', '/me', { displayName: 'x' }],
    ['POST', '/auth/logout'],
    ['POST', '/auth/logout-all'],
    ['PUT', '/auth/session/profile', { profileId: null }],
    ['GET', '/devices'],
    ['PATCH', `/devices/${id}`, { name: 'x' }],
    ['DELETE', `/devices/${id}`],
    ['GET', '/profiles'],
    ['POST', '/profiles', { name: 'x' }],
    ['PATCH', `/profiles/${id}`, { name: 'x' }],
    ['DELETE', `/profiles/${id}`],
    ['GET', '/admin/users'],
    ['PATCH', `/admin/users/${id}/role`, { role: 'admin' }],
    ['POST', `/admin/users/${id}/disable`],
  ];

  it('answers 401 with WWW-Authenticate on every protected route without a token, with an expired one, and with a garbled one', async () => {
    const s = await signInByPhone();
    const expired = await signAccessToken(authSettings(), { userId: s.user.id, sessionId: s.sessionId, role: 'admin', profileId: null, maturityCap: null, tier: 'free' }, Date.now() - 3600_000);
    for (const [method, path, body] of protectedRoutes) {
      for (const token of [undefined, expired.token, `${s.accessToken.slice(0, -4)}AAAA`]) {
        const res = await api(path, { method, token, body });
        const envelope = await expectEnvelope(res, 401, 'UNAUTHORIZED');
        expect(res.headers.get('WWW-Authenticate'), `${method} ${path}`).toMatch(/^Bearer /);
        expect(envelope.error.message).toBe('A valid access token is required');
      }
    }
    // The same session's live token works, so the 401s were about the tokens.
    expect((await api('/me', { token: s.accessToken })).status).toBe(200);
  });
});
