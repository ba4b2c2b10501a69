// Devices: list, rename, revoke (its sessions end at once).
import { describe, expect, it } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { Redis } from '@upstash/redis/cloudflare';
import { createLogger } from '../src/lib/logger.ts';
import { revokeDevice } from '../src/services/devices/revoke-device.ts';
import { api, authSettings, issueCode, lastCode, newDevice, sendCode, signInByPhone, subscribe, testDb, testRedis, uniqueEmail } from './auth-helpers.ts';
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

    // A retry (say after a lost response) answers the same and re-applies the sign-out.
    expect((await api(`/devices/${tvDevice.id}`, { method: 'DELETE', token: a.accessToken })).status).toBe(204);
    await expectEnvelope(await api(`/devices/${crypto.randomUUID()}`, { method: 'DELETE', token: a.accessToken }), 404, 'NOT_FOUND');
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

  it('a revoke whose deny-list write failed is completed by the retry', async () => {
    const s = await signInByPhone();
    const [device] = await devicesOf(s.accessToken);
    const deps = { db: testDb(), auth: authSettings(), logger: createLogger('error') };
    // Redis unreachable after the database revoked the device: the call fails...
    const deadRedis = new Redis({ url: 'http://127.0.0.1:1', token: 'x', retry: { retries: 0 }, enableTelemetry: false });
    await expect(revokeDevice({ ...deps, redis: deadRedis }, { userId: s.user.id, deviceId: device!.id })).rejects.toThrow();
    await expectEnvelope(await api('/auth/token/refresh', { body: { refreshToken: s.refreshToken } }), 401, 'UNAUTHORIZED');
    // ...this isolate already refuses the token, but the shared deny list
    // (what every other isolate asks) does not have it yet...
    await expectEnvelope(await api('/me', { token: s.accessToken }), 401, 'UNAUTHORIZED');
    const denyListed = () => testRedis().exists(`auth:revoked-sid:${s.sessionId}`);
    expect(await denyListed()).toBe(0);
    // ...and the retry finds the same session and writes it.
    expect(await revokeDevice({ ...deps, redis: testRedis() }, { userId: s.user.id, deviceId: device!.id })).toEqual({ sessionIds: [s.sessionId] });
    expect(await denyListed()).toBe(1);
  });

  it('at the device limit, signing in with replaceDeviceId swaps a listed device out in one step', async () => {
    const phone = await signInByPhone(undefined, newDevice('android')); // free plan: one device
    const tv = newDevice('tv');
    const signInOnTv = async (extra: Record<string, unknown> = {}) =>
      api('/auth/otp/verify', { body: { channel: 'sms', phone: phone.phone, code: await issueCode('sign_in', phone.phone), device: { ...tv, ...extra } } });

    const refused = await expectEnvelope(await signInOnTv(), 409, 'CONFLICT');
    const [listed] = refused.error.details.devices as { id: string }[];
    // Someone else's or an unknown device id makes no room.
    await expectEnvelope(await signInOnTv({ replaceDeviceId: crypto.randomUUID() }), 409, 'CONFLICT');
    await expectEnvelope(await signInOnTv({ replaceDeviceId: 'not-a-uuid' }), 400, 'VALIDATION_FAILED');

    const swapped = await signInOnTv({ replaceDeviceId: listed!.id });
    expect(swapped.status).toBe(200);
    const onTv = (await swapped.json()) as { accessToken: string };
    expect((await devicesOf(onTv.accessToken)).map((d) => d.platform)).toEqual(['tv']);
    // The replaced phone is signed out at once: access and refresh token.
    await expectEnvelope(await api('/me', { token: phone.accessToken }), 401, 'UNAUTHORIZED');
    await expectEnvelope(await api('/auth/token/refresh', { body: { refreshToken: phone.refreshToken } }), 401, 'UNAUTHORIZED');
  });

  it('two sign-ins replacing the same device concurrently: exactly one gets the slot', async () => {
    // Password sign-in, so both requests carry valid credentials at once (one OTP code per recipient).
    const email = uniqueEmail();
    const password = 'a long enough passphrase';
    expect((await sendCode({ channel: 'email', email })).status).toBe(202);
    const signedUp = await api('/auth/otp/verify', { body: { channel: 'email', email, code: await lastCode(email), password, device: newDevice('android') } });
    const first = (await signedUp.json()) as { accessToken: string; user: { id: string } };
    const [device] = await devicesOf(first.accessToken);
    const attempt = (platform: 'tv' | 'web') =>
      api('/auth/password/sign-in', { body: { email, password, device: { ...newDevice(platform), replaceDeviceId: device!.id } } });

    const results = await Promise.all([attempt('tv'), attempt('web')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const [n] = await testDb().run(sql<{ n: number }>(`SELECT count(*)::int AS n FROM devices WHERE user_id = $1 AND revoked_at IS NULL`, [first.user.id]));
    expect(n!.n).toBe(1);
  });
});
