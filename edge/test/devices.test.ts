// Devices: list, rename, revoke (its sessions end at once).
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { api, newDevice, signInByPhone, subscribe, testDb } from './auth-helpers.ts';
import { expectEnvelope } from './helpers.ts';

interface Device {
  id: string;
  name: string | null;
  platform: string;
  appVersion: string | null;
}

const devicesOf = async (token: string) => {
  const res = await api('/devices', { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { devices: Device[] }).devices;
};

describe('devices', () => {
  it('lists the account’s devices with what they registered, and no install id', async () => {
    const s = await signInByPhone(undefined, { ...newDevice('tv'), name: 'Living room', appVersion: '3.1.0' } as ReturnType<typeof newDevice>);
    const res = await api('/devices', { token: s.accessToken });
    expect(res.headers.get('RateLimit-Limit')).toBeTruthy();
    const { devices } = (await res.json()) as { devices: (Device & Record<string, unknown>)[] };
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ name: 'Living room', platform: 'tv', appVersion: '3.1.0' });
    expect(devices[0]).not.toHaveProperty('installId');
  });

  it('renames a device', async () => {
    const s = await signInByPhone();
    const [device] = await devicesOf(s.accessToken);
    const res = await api(`/devices/${device!.id}`, { method: 'PATCH', token: s.accessToken, body: { name: '  Sara’s phone ' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: device!.id, name: 'Sara’s phone' });
    expect((await devicesOf(s.accessToken))[0]!.name).toBe('Sara’s phone');
    await expectEnvelope(await api(`/devices/${device!.id}`, { method: 'PATCH', token: s.accessToken, body: { name: '' } }), 400, 'VALIDATION_FAILED');
    await expectEnvelope(await api(`/devices/${device!.id}`, { method: 'PATCH', token: s.accessToken, body: { name: 'x', revokedAt: null } }), 400, 'VALIDATION_FAILED');
  });

  it('revokes a device: its sessions end at once (access and refresh), the other device lives on, and a slot frees up', async () => {
    const a = await signInByPhone(); // android
    await subscribe(a.user.id, 'basic'); // two devices
    const tv = await signInByPhone(a.phone, newDevice('tv'), true);
    const devices = await devicesOf(a.accessToken);
    expect(devices.map((d) => d.platform).sort()).toEqual(['android', 'tv']);
    const tvDevice = devices.find((d) => d.platform === 'tv')!;

    expect((await api(`/devices/${tvDevice.id}`, { method: 'DELETE', token: a.accessToken })).status).toBe(204);
    await expectEnvelope(await api('/me', { token: tv.accessToken }), 401, 'UNAUTHORIZED');
    await expectEnvelope(await api('/auth/token/refresh', { body: { refreshToken: tv.refreshToken } }), 401, 'UNAUTHORIZED');
    const [family] = await testDb().run(sql<{ revokedReason: string }>(`SELECT revoked_reason AS "revokedReason" FROM refresh_token_families WHERE id = $1`, [tv.sessionId]));
    expect(family!.revokedReason).toBe('device_revoked');
    expect((await api('/me', { token: a.accessToken })).status).toBe(200);

    await expectEnvelope(await api(`/devices/${tvDevice.id}`, { method: 'DELETE', token: a.accessToken }), 404, 'NOT_FOUND');
    expect((await devicesOf(a.accessToken)).map((d) => d.platform)).toEqual(['android']);
    // The freed slot takes a new device.
    const web = await signInByPhone(a.phone, newDevice('web'), true);
    expect(web.user.id).toBe(a.user.id);
  });

  it('revoking the device you call from signs you out', async () => {
    const s = await signInByPhone();
    const [device] = await devicesOf(s.accessToken);
    expect((await api(`/devices/${device!.id}`, { method: 'DELETE', token: s.accessToken })).status).toBe(204);
    await expectEnvelope(await api('/devices', { token: s.accessToken }), 401, 'UNAUTHORIZED');
  });
});
