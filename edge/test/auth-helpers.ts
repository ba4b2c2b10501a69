// Identity test helpers: unique people per test, calls through the real app
// against the real stack, and codes read back from the fake SMS/email servers
// through the dev-only outbox route.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { sql } from '../../db/sql/statement.ts';
import { parseConfig } from '../src/env.ts';
import { createOtpStore, type OtpPurpose } from '../src/lib/auth/otp.ts';
import { createDb } from '../src/lib/db.ts';
import { createRedis } from '../src/lib/redis.ts';
import { call } from './helpers.ts';

export function uniquePhone(): string {
  const digits = crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000_000;
  return `+989${String(digits).padStart(9, '0')}`;
}

export function uniqueEmail(): string {
  return `u-${crypto.randomUUID()}@test.irdnl.dev`;
}

/** A fresh client IP per call, so the per-IP send limit never couples tests. */
export function uniqueIp(): string {
  const [a, b, c] = crypto.getRandomValues(new Uint8Array(3));
  return `10.${a}.${b}.${c}`;
}

export function newDevice(platform: 'web' | 'android' | 'ios' | 'tv' | 'other' = 'android') {
  return { installId: `install-${crypto.randomUUID()}`, platform };
}

export interface ApiInit {
  method?: string;
  body?: unknown;
  token?: string;
  ip?: string;
  headers?: Record<string, string>;
}

export function api(path: string, init: ApiInit = {}): Promise<Response> {
  const headers: Record<string, string> = { 'CF-Connecting-IP': init.ip ?? uniqueIp(), ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  return call(`/api/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** The newest code the fake vendor received for this phone or email. */
export async function lastCode(to: string): Promise<string> {
  const res = await api(`/dev/outbox?to=${encodeURIComponent(to)}&limit=1`);
  expect(res.status).toBe(200);
  const { messages } = (await res.json()) as { messages: { code: string | null }[] };
  expect(messages.length, `no message was sent to ${to}`).toBeGreaterThan(0);
  return messages[0]!.code!;
}

export async function outboxCount(to: string): Promise<number> {
  const res = await api(`/dev/outbox?to=${encodeURIComponent(to)}&limit=20`);
  return ((await res.json()) as { messages: unknown[] }).messages.length;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  expiresIn: number;
  refreshTokenExpiresAt: string;
  user: { id: string; role: string };
}

export async function sendCode(body: Record<string, unknown>): Promise<Response> {
  return api('/auth/otp/send', { body });
}

/**
 * Signs in (signing up on first use) a fresh or given phone with an SMS code.
 * `again`: the phone already got a code in this test; the next one is issued
 * directly, since the send route allows one code per 30 s per recipient.
 */
export async function signInByPhone(phone = uniquePhone(), device = newDevice(), again = false): Promise<Tokens & { phone: string }> {
  let code: string;
  if (again) code = await issueCode('sign_in', phone);
  else {
    expect((await sendCode({ channel: 'sms', phone })).status).toBe(202);
    code = await lastCode(phone);
  }
  const res = await api('/auth/otp/verify', { body: { channel: 'sms', phone, code, device } });
  expect(res.status).toBe(200);
  return { ...((await res.json()) as Tokens), phone };
}

/** Issues a code straight into Redis, as the send route would, without sending it. */
export function issueCode(purpose: OtpPurpose, recipient: string): Promise<string> {
  const auth = authSettings();
  return createOtpStore(testRedis(), { secret: auth.otpSecret, ttlSeconds: auth.otpTtl }).issue(purpose, recipient);
}

/** Puts the user on a paid tier (a manual, active subscription), e.g. for more devices. */
export async function subscribe(userId: string, tier: 'basic' | 'standard' | 'premium'): Promise<void> {
  await testDb().run(
    sql(
      `INSERT INTO subscriptions (user_id, tier, status, provider, current_period_start, current_period_end)
       VALUES ($1, $2, 'active', 'manual', now(), now() + interval '30 days')`,
      [userId, tier],
    ),
  );
}

export function testDb() {
  const dep = parseConfig(env).postgres;
  if (!dep.ok) throw new Error('test bindings lack a usable DATABASE_URL');
  return createDb(dep.value);
}

export function testRedis() {
  const dep = parseConfig(env).redis;
  if (!dep.ok) throw new Error('test bindings lack usable Upstash settings');
  return createRedis(dep.value);
}

export function authSettings() {
  const dep = parseConfig(env).auth;
  if (!dep.ok) throw dep.error;
  return dep.value;
}

/** The error body without its per-request id, for "same answer" comparisons. */
export async function errorWithoutRequestId(res: Response): Promise<unknown> {
  const body = (await res.json()) as { error: Record<string, unknown> };
  const { requestId: _ignored, ...rest } = body.error;
  return { status: res.status, error: rest };
}

/** A signed-in account with the given role (set in the database, then a fresh sign-in so the token carries it). */
export async function signInAs(role: 'viewer' | 'editor' | 'admin'): Promise<Tokens & { phone: string }> {
  const device = newDevice();
  const s = await signInByPhone(undefined, device);
  if (role === 'viewer') return s;
  await testDb().run(sql(`UPDATE users SET role = $2 WHERE id = $1`, [s.user.id, role]));
  return signInByPhone(s.phone, device, true);
}

/** Inserts a profile straight into the table (what POST /profiles would do, minus the limit). */
export async function insertProfile(userId: string, name: string): Promise<string> {
  const [row] = await testDb().run(sql<{ id: string }>(`INSERT INTO profiles (user_id, name) VALUES ($1, $2) RETURNING id`, [userId, name]));
  return row!.id;
}
