// Identity configuration, the OpenAPI documentation of the identity routes,
// the dev-only outbox and the vendor senders' error handling.
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/env.ts';
import { createNotifier, NotifyError } from '../src/lib/notify/notifier.ts';
import { normalizePhone } from '../src/lib/auth/identifiers.ts';
import { call, envWith, expectEnvelope } from './helpers.ts';

const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('identity configuration', () => {
  it('answers CONFIG_INVALID naming AUTH_SIGNING_KEYS on identity routes only, never echoing the value', async () => {
    const broken = envWith({ AUTH_SIGNING_KEYS: '[{"kty":"OKP","crv":"Ed25519","kid":"k","x":"short","d":"secret-value"}]' });
    const res = await call('/api/v1/auth/token/refresh', json({ refreshToken: 'A'.repeat(43) }), broken);
    const body = await expectEnvelope(res, 500, 'CONFIG_INVALID');
    expect(body.error.message).toContain('AUTH_SIGNING_KEYS');
    expect(JSON.stringify(body)).not.toContain('secret-value');
    expect((await call('/health', undefined, broken)).status).toBe(200);
  });

  it('refuses a short OTP secret and a missing email sender', async () => {
    const cfg = parseConfig(envWith({ AUTH_OTP_SECRET: 'too-short', EMAIL_FROM: undefined }));
    expect(cfg.auth.ok || cfg.auth.variables).toEqual(['AUTH_OTP_SECRET']);
    expect(cfg.notify.ok || cfg.notify.variables).toEqual(['EMAIL_FROM']);
  });

  it('keeps access tokens between 5 and 15 minutes and codes at most 10 minutes', () => {
    expect(parseConfig(envWith({ ACCESS_TOKEN_TTL_SECONDS: '3600' })).auth.ok).toBe(false);
    expect(parseConfig(envWith({ OTP_TTL_SECONDS: '900' })).auth.ok).toBe(false);
    const cfg = parseConfig(env).auth;
    expect(cfg.ok && cfg.value.accessTokenTtl).toBeLessThanOrEqual(900);
  });

  it('defaults the vendor base URLs to the real APIs', () => {
    const cfg = parseConfig(envWith({ KAVENEGAR_BASE_URL: undefined, SENDGRID_BASE_URL: undefined })).notify;
    expect(cfg.ok && cfg.value.sms.baseUrl).toBe('https://api.kavenegar.com');
    expect(cfg.ok && cfg.value.email.baseUrl).toBe('https://api.sendgrid.com');
  });
});

describe('phone normalization', () => {
  it.each([
    ['09121234567', '+989121234567'],
    ['9121234567', '+989121234567'],
    ['+98 912 123 4567', '+989121234567'],
    ['00989121234567', '+989121234567'],
    ['۰۹۱۲۱۲۳۴۵۶۷', '+989121234567'],
    ['+14155550123', '+14155550123'],
    ['0912123456', undefined],
    ['+9891212345678', undefined],
    ['hello', undefined],
  ])('%s -> %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });
});

describe('vendor senders', () => {
  it('throw a NotifyError (without the key or recipient) when the vendor refuses the key', async () => {
    const cfg = parseConfig(envWith({ KAVENEGAR_API_KEY: 'wrong-key', SENDGRID_API_KEY: 'SG.wrong' })).notify;
    if (!cfg.ok) throw cfg.error;
    const notifier = createNotifier(cfg.value);
    const sms = notifier.sms.sendOtp('+989121234567', '123456');
    await expect(sms).rejects.toBeInstanceOf(NotifyError);
    await expect(sms).rejects.toThrow(/HTTP 403/);
    await expect(sms).rejects.not.toThrow(/wrong-key|989121234567/);
    await expect(notifier.email.send({ to: 'a@example.com', subject: 's', text: 't' })).rejects.toThrow(/sendgrid mail\/send failed: HTTP 401/);
  });
});

describe('OpenAPI and the dev outbox', () => {
  it('documents the identity routes with bearer security, and hides the dev outbox', async () => {
    const doc = (await (await exports.default.fetch('http://edge.test/api/v1/openapi.json')).json()) as any;
    for (const p of ['/auth/otp/send', '/auth/otp/verify', '/auth/password/sign-in', '/auth/password/reset', '/auth/token/refresh', '/auth/logout', '/auth/logout-all', '/auth/session/profile', '/me', '/admin/users/{id}/disable']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(doc.paths['/dev/outbox']).toBeUndefined();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/me'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/auth/otp/send'].post.requestBody.content['application/json'].examples.sms).toBeDefined();
  });

  it('serves the outbox only in development and test', async () => {
    expect((await call('/api/v1/dev/outbox?to=%2B989121234567')).status).toBe(200);
    for (const ENVIRONMENT of ['production', 'staging', 'bench']) {
      await expectEnvelope(await call('/api/v1/dev/outbox?to=%2B989121234567', undefined, envWith({ ENVIRONMENT })), 404, 'NOT_FOUND');
    }
  });
});
