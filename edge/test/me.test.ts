// GET/PATCH /me: the account, and no mass assignment of server-owned fields.
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, signInByPhone, testDb } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';

describe('GET /me', () => {
  it('needs a token', async () => {
    await expectEnvelope(await api('/me'), 401, 'UNAUTHORIZED');
  });
});

describe('PATCH /me', () => {
  it('changes displayName and locale', async () => {
    const s = await signInByPhone();
    const res = await api('/me', { method: 'PATCH', token: s.accessToken, body: { displayName: '  سارا  ', locale: 'en' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: s.user.id, displayName: 'سارا', locale: 'en', role: 'viewer' });
    const cleared = await api('/me', { method: 'PATCH', token: s.accessToken, body: { displayName: null } });
    expect(await cleared.json()).toMatchObject({ displayName: null, locale: 'en' });
  });

  it.each([
    ['role', { role: 'admin' }],
    ['tier', { tier: 'premium' }],
    ['id', { id: '00000000-0000-4000-8000-000000000000' }],
    ['email', { email: 'someone-else@example.com' }],
    ['phone', { phone: '+989120000000' }],
    ['disabledAt', { disabledAt: null }],
    ['phoneVerified', { phoneVerified: true }],
    ['passwordHash', { passwordHash: '$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA' }],
    ['role beside an allowed field', { displayName: 'ok', role: 'admin' }],
  ])('refuses a server-owned field (%s) with 400 and changes nothing', async (_name, body) => {
    const s = await signInByPhone();
    const res = await api('/me', { method: 'PATCH', token: s.accessToken, body });
    const envelope = await expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(envelope.error.details.issues[0].code).toBe('unrecognized_keys');
    const [row] = await testDb().run(sql<{ role: string; displayName: string | null }>(`SELECT role, display_name AS "displayName" FROM users WHERE id = $1`, [s.user.id]));
    expect(row).toEqual({ role: 'viewer', displayName: null });
  });

  it('refuses an empty body and bad values', async () => {
    const s = await signInByPhone();
    await expectEnvelope(await api('/me', { method: 'PATCH', token: s.accessToken, body: {} }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await api('/me', { method: 'PATCH', token: s.accessToken, body: { locale: 'de' } }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await api('/me', { method: 'PATCH', token: s.accessToken, body: { displayName: 'x'.repeat(101) } }), 400, 'VALIDATION_FAILED');
  });
});
