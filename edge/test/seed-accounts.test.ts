// The demo accounts the README documents sign in with the documented
// passwords, through the production password path (Argon2id WASM in workerd).
// The test database is not seeded, so the accounts are upserted with the
// seed's own statements first.
import { describe, expect, it } from 'vitest';
import { USERS } from '../../db/seed/data.ts';
import { upsertUser } from '../../db/seed/statements.ts';
import { api, newDevice, testDb } from './auth-helpers.ts';

const DOCUMENTED = { 'admin@irdnl.local': 'demo-admin-password', 'editor@irdnl.local': 'demo-editor-password', 'viewer@irdnl.local': 'demo-viewer-password' };

describe('demo accounts', () => {
  it('sign in with the passwords the README gives, with their roles', async () => {
    await testDb().batch(USERS.map(upsertUser));
    for (const [email, password] of Object.entries(DOCUMENTED)) {
      const res = await api('/auth/password/sign-in', { body: { email, password, device: newDevice('web') } });
      expect(res.status, email).toBe(200);
      const body = (await res.json()) as { user: { role: string } };
      expect(body.user.role).toBe(USERS.find((u) => u.email === email)!.role);
    }
  });
});
