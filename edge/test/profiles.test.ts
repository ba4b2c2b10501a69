// Profiles: create within the plan's limit, rename, delete (never the last),
// kids maturity cap.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { verifyAccessToken } from '../src/lib/auth/access-token.ts';
import { api, authSettings, signInByPhone, subscribe, testDb } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';

interface Profile {
  id: string;
  name: string;
  isKids: boolean;
  maturityCap: number;
  locale: string;
}

const create = (token: string, body: Record<string, unknown>) => api('/profiles', { method: 'POST', token, body });
const profilesOf = async (token: string) => ((await (await api('/profiles', { token })).json()) as { profiles: Profile[] }).profiles;

describe('profiles', () => {
  it('creates profiles up to the plan’s limit, then answers 409 listing the current ones', async () => {
    const s = await signInByPhone();
    expect(await profilesOf(s.accessToken)).toEqual([]);
    const res = await create(s.accessToken, { name: ' Sara ' });
    expect(res.status).toBe(201);
    const sara = (await res.json()) as Profile;
    expect(sara).toMatchObject({ name: 'Sara', isKids: false, maturityCap: 18, locale: 'fa' });

    // free allows 1
    const refused = await expectEnvelope(await create(s.accessToken, { name: 'Kids', kids: true }), 409, 'CONFLICT');
    expect(refused.error.details).toMatchObject({ reason: 'profile_limit', tier: 'free', maxProfiles: 1 });
    expect(refused.error.details.profiles.map((p: Profile) => p.id)).toEqual([sara.id]);

    await subscribe(s.user.id, 'basic');
    const kids = await create(s.accessToken, { name: 'Kids', kids: true, locale: 'en' });
    expect(kids.status).toBe(201);
    expect(await kids.json()).toMatchObject({ name: 'Kids', isKids: true, maturityCap: 7, locale: 'en' });
    expect((await profilesOf(s.accessToken)).map((p) => p.name)).toEqual(['Sara', 'Kids']);
  });

  it('refuses a name the account already uses (409), on create and on rename', async () => {
    const s = await signInByPhone();
    await subscribe(s.user.id, 'standard');
    const a = (await (await create(s.accessToken, { name: 'Ali' })).json()) as Profile;
    const b = (await (await create(s.accessToken, { name: 'Bita' })).json()) as Profile;
    const dup = await expectEnvelope(await create(s.accessToken, { name: 'Ali' }), 409, 'CONFLICT');
    expect(dup.error.details.reason).toBe('name_taken');
    const renamed = await expectEnvelope(await api(`/profiles/${b.id}`, { method: 'PATCH', token: s.accessToken, body: { name: 'Ali' } }), 409, 'CONFLICT');
    expect(renamed.error.details.reason).toBe('name_taken');
    expect((await profilesOf(s.accessToken)).map((p) => p.name)).toEqual(['Ali', 'Bita']);

    const ok = await api(`/profiles/${a.id}`, { method: 'PATCH', token: s.accessToken, body: { name: 'Ali 2' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: a.id, name: 'Ali 2' });
  });

  it('caps a kids profile’s maturity at 12 (400 above), and lets adults choose', async () => {
    const s = await signInByPhone();
    await subscribe(s.user.id, 'premium');
    const tooOld = await expectEnvelope(await create(s.accessToken, { name: 'Kids', kids: true, maturityCap: 15 }), 400, 'VALIDATION_FAILED');
    expect(tooOld.error.details.issues[0].path).toBe('body.maturityCap');
    await expectEnvelope(await create(s.accessToken, { name: 'Odd', maturityCap: 13 }), 400, 'VALIDATION_FAILED');
    expect((await create(s.accessToken, { name: 'Kids', kids: true, maturityCap: 12 })).status).toBe(201);
    expect(await (await create(s.accessToken, { name: 'Teen', maturityCap: 15 })).json()).toMatchObject({ maturityCap: 15, isKids: false });
    // Server-owned or unknown fields are refused.
    await expectEnvelope(await create(s.accessToken, { name: 'X', userId: crypto.randomUUID() }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await api(`/profiles/${crypto.randomUUID()}`, { method: 'PATCH', token: s.accessToken, body: { name: 'Y', isKids: false } }), 400, 'VALIDATION_FAILED');
  });

  it('deletes a profile, but never the last one; sessions on it lose it', async () => {
    const s = await signInByPhone();
    await subscribe(s.user.id, 'basic');
    const main = (await (await create(s.accessToken, { name: 'Main' })).json()) as Profile;
    const guest = (await (await create(s.accessToken, { name: 'Guest' })).json()) as Profile;
    expect((await api('/auth/session/profile', { method: 'PUT', token: s.accessToken, body: { profileId: guest.id } })).status).toBe(200);

    expect((await api(`/profiles/${guest.id}`, { method: 'DELETE', token: s.accessToken })).status).toBe(204);
    const [family] = await testDb().run(sql<{ pid: string | null }>(`SELECT active_profile_id AS pid FROM refresh_token_families WHERE id = $1`, [s.sessionId]));
    expect(family!.pid).toBeNull();
    await expectEnvelope(await api(`/profiles/${guest.id}`, { method: 'DELETE', token: s.accessToken }), 404, 'NOT_FOUND');

    const last = await expectEnvelope(await api(`/profiles/${main.id}`, { method: 'DELETE', token: s.accessToken }), 409, 'CONFLICT');
    expect(last.error.details.reason).toBe('last_profile');
    expect((await profilesOf(s.accessToken)).map((p) => p.id)).toEqual([main.id]);
  });

  it('carries the active profile and its maturity cap in the access token, through refreshes', async () => {
    const s = await signInByPhone();
    await subscribe(s.user.id, 'premium');
    const kids = (await (await create(s.accessToken, { name: 'Kids', kids: true })).json()) as Profile;
    const claimsOf = async (token: string) => (await verifyAccessToken(authSettings(), token))!;
    expect(await claimsOf(s.accessToken)).toMatchObject({ profileId: null, maturityCap: null });

    const switched = await api('/auth/session/profile', { method: 'PUT', token: s.accessToken, body: { profileId: kids.id } });
    const { accessToken } = (await switched.json()) as { accessToken: string };
    expect(await claimsOf(accessToken)).toMatchObject({ profileId: kids.id, maturityCap: 7 });

    const refreshed = await api('/auth/token/refresh', { method: 'POST', body: { refreshToken: s.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(await claimsOf(((await refreshed.json()) as { accessToken: string }).accessToken)).toMatchObject({ profileId: kids.id, maturityCap: 7 });
  });
});
