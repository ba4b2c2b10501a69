// Admin: list/search accounts, change a role (audited, sessions end).
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, issueCode, newDevice, signInAs, signInByPhone, testDb } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';

interface AdminUser {
  id: string;
  email: string | null;
  phone: string | null;
  role: string;
}
interface Page {
  users: AdminUser[];
  nextCursor: string | null;
}

const page = async (token: string, query: string) => {
  const res = await api(`/admin/users?${query}`, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

describe('GET /admin/users', () => {
  it('searches by email or phone prefix and walks every page with the cursor', async () => {
    const boss = await signInAs('admin');
    // Five accounts sharing a unique email prefix.
    const prefix = `list-${crypto.randomUUID().slice(0, 8)}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const email = `${prefix}-${i}@test.irdnl.dev`;
      const res = await api('/auth/otp/verify', { body: { channel: 'email', email, code: await issueCode('sign_in', email), device: newDevice() } });
      ids.push(((await res.json()) as { user: { id: string } }).user.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Page = await page(boss.accessToken, `q=${prefix.toUpperCase()}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(p.users.length).toBeLessThanOrEqual(2);
      seen.push(...p.users.map((u) => u.id));
      cursor = p.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse()); // newest first, no duplicates, none missing

    const viewer = await signInByPhone();
    const byPhone = await page(boss.accessToken, `q=${encodeURIComponent(viewer.phone)}`);
    expect(byPhone.users.map((u) => u.id)).toEqual([viewer.user.id]);
    const national = await page(boss.accessToken, `q=0${viewer.phone.slice(3)}`);
    expect(national.users.map((u) => u.id)).toEqual([viewer.user.id]);
    // LIKE wildcards are literal.
    expect((await page(boss.accessToken, `q=${encodeURIComponent('%')}`)).users).toEqual([]);
  });

  it('filters by role', async () => {
    const boss = await signInAs('admin');
    const editor = await signInAs('editor');
    const p = await page(boss.accessToken, 'role=editor&limit=100');
    expect(p.users.every((u) => u.role === 'editor')).toBe(true);
    expect(p.users.map((u) => u.id)).toContain(editor.user.id);
  });

  it('refuses a malformed cursor, a page size over the cap and an unknown role (400)', async () => {
    const boss = await signInAs('admin');
    for (const q of ['cursor=not-a-cursor', `cursor=${btoa('["yesterday","x"]')}`, 'limit=101', 'limit=0', 'role=owner', 'sort=email']) {
      await expectEnvelope(await api(`/admin/users?${q}`, { token: boss.accessToken }), 400, 'VALIDATION_FAILED');
    }
  });
});

describe('PATCH /admin/users/{id}/role', () => {
  const auditRows = (userId: string) =>
    testDb().run(
      sql<{ actor: string; before: unknown; after: unknown; requestId: string }>(
        `SELECT actor_user_id AS actor, before, after, request_id AS "requestId" FROM audit_log
         WHERE entity_type = 'user' AND entity_id = $1 AND action = 'user.change_role' ORDER BY at`,
        [userId],
      ),
    );

  it('changes the role, writes the audit row with before/after, and ends the user’s sessions at once', async () => {
    const boss = await signInAs('admin');
    const target = await signInByPhone();
    const res = await api(`/admin/users/${target.user.id}/role`, { method: 'PATCH', token: boss.accessToken, body: { role: 'editor' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: target.user.id, before: 'viewer', role: 'editor', sessionsRevoked: 1 });
    const audit = await auditRows(target.user.id);
    expect(audit).toEqual([{ actor: boss.user.id, before: { role: 'viewer' }, after: { role: 'editor' }, requestId: res.headers.get('X-Request-Id') }]);
    // The old token (role viewer) and its refresh token are dead; a new sign-in carries the new role.
    await expectEnvelope(await api('/me', { token: target.accessToken }), 401, 'UNAUTHORIZED');
    await expectEnvelope(await api('/auth/token/refresh', { body: { refreshToken: target.refreshToken } }), 401, 'UNAUTHORIZED');
    const [device] = await testDb().run(
      sql<{ installId: string; platform: 'android' }>(`SELECT install_id AS "installId", platform FROM devices WHERE user_id = $1`, [target.user.id]),
    );
    const again = await signInByPhone(target.phone, device!, true);
    expect(again.user.role).toBe('editor');
    expect(await (await api('/me', { token: again.accessToken })).json()).toMatchObject({ role: 'editor' });

    // The same role again: nothing written, nothing revoked.
    const same = await api(`/admin/users/${target.user.id}/role`, { method: 'PATCH', token: boss.accessToken, body: { role: 'editor' } });
    expect(await same.json()).toMatchObject({ before: 'editor', role: 'editor', sessionsRevoked: 0 });
    expect(await auditRows(target.user.id)).toHaveLength(1);
  });

  it('answers 404 for an unknown user, 409 for your own role, 400 for a bad role', async () => {
    const boss = await signInAs('admin');
    await expectEnvelope(await api(`/admin/users/${crypto.randomUUID()}/role`, { method: 'PATCH', token: boss.accessToken, body: { role: 'editor' } }), 404, 'NOT_FOUND');
    await expectEnvelope(await api(`/admin/users/${boss.user.id}/role`, { method: 'PATCH', token: boss.accessToken, body: { role: 'viewer' } }), 409, 'CONFLICT');
    await expectEnvelope(await api(`/admin/users/${boss.user.id}/role`, { method: 'PATCH', token: boss.accessToken, body: { role: 'root' } }), 400, 'VALIDATION_FAILED');
    expect((await api('/me', { token: boss.accessToken })).status).toBe(200);
  });

  it('is for admins only: editors and viewers get 403 and nothing changes', async () => {
    const target = await signInByPhone();
    for (const role of ['editor', 'viewer'] as const) {
      const caller = await signInAs(role);
      await expectEnvelope(await api(`/admin/users/${target.user.id}/role`, { method: 'PATCH', token: caller.accessToken, body: { role: 'admin' } }), 403, 'FORBIDDEN');
      await expectEnvelope(await api('/admin/users', { token: caller.accessToken }), 403, 'FORBIDDEN');
      await expectEnvelope(await api(`/admin/users/${target.user.id}/disable`, { method: 'POST', token: caller.accessToken }), 403, 'FORBIDDEN');
    }
    const [row] = await testDb().run(sql<{ role: string; disabled: boolean }>(`SELECT role, disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1`, [target.user.id]));
    expect(row).toEqual({ role: 'viewer', disabled: false });
    expect(await auditRows(target.user.id)).toEqual([]);
    expect((await api('/me', { token: target.accessToken })).status).toBe(200);
  });
});
