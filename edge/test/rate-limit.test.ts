// rateLimit() inside workerd against the real Redis (through the local Upstash
// REST endpoint, which runs @upstash/ratelimit's scripts). Each test builds a
// small router with the real middleware stack and uses its own key prefix, so
// tests never share a counter.
import { env } from 'cloudflare:workers';
import type { MiddlewareHandler } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Env } from '../src/env.ts';
import { onError } from '../src/lib/errors.ts';
import { createRouter } from '../src/lib/openapi.ts';
import { RATE_LIMITS, type RateLimitPolicy, type Tier } from '../src/lib/rate-limit-policy.ts';
import { init } from '../src/middleware/init.ts';
import { logger } from '../src/middleware/logger.ts';
import { addressBucket, rateLimit, type RateLimitOptions } from '../src/middleware/rate-limit.ts';
import { requestId } from '../src/middleware/request-id.ts';
import type { AppEnv } from '../src/types.ts';
import { envWith, expectEnvelope } from './helpers.ts';

const UNREACHABLE = envWith({ UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1' });

const policy = (over: Partial<RateLimitPolicy> = {}): RateLimitPolicy => ({
  windowSeconds: 60,
  perIp: 3,
  perUser: null,
  onRedisFailure: 'closed',
  timeoutMs: 1000,
  ...over,
});

const uniquePrefix = () => `test-rl:${crypto.randomUUID()}`;

/**
 * Stands in for requireAuth(): the limiter only reads c.var.auth, so the test
 * sets it from a header instead of minting tokens (a user without a tier in
 * the header is on 'free', as requireAuth() reports a token without one).
 */
const fakeAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = c.req.header('X-Test-User');
  if (user) {
    const [userId, tier] = user.split('/') as [string, Tier | undefined];
    c.set('auth', { userId, sessionId: crypto.randomUUID(), role: 'viewer' as const, profileId: null, maturityCap: null, tier: tier ?? 'free' });
  }
  await next();
};

function limitedApp(opts: RateLimitOptions) {
  const app = createRouter();
  let handled = 0;
  app.use(requestId());
  app.use(logger());
  app.use(init());
  app.use(fakeAuth);
  app.get('/limited', rateLimit(opts), (c) => {
    handled += 1;
    return c.json({ ok: true });
  });
  app.onError(onError);
  return {
    handled: () => handled,
    call: (headers: Record<string, string> = {}, bindings: Env = env) => app.request('/limited', { headers }, bindings),
  };
}

const ip = (addr: string) => ({ 'CF-Connecting-IP': addr });

describe('rateLimit: limits and headers', () => {
  it('answers RateLimit headers while under the limit, then 429 RATE_LIMITED with Retry-After', async () => {
    const app = limitedApp({ class: 'otp-send', key: 'ip', prefix: uniquePrefix(), policy: policy() });
    for (const remaining of ['2', '1', '0']) {
      const res = await app.call(ip('203.0.113.10'));
      expect(res.status).toBe(200);
      expect(res.headers.get('RateLimit-Limit')).toBe('3');
      expect(res.headers.get('RateLimit-Remaining')).toBe(remaining);
      expect(res.headers.get('RateLimit-Policy')).toBe('3;w=60');
      const reset = Number(res.headers.get('RateLimit-Reset'));
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(60);
      expect(res.headers.get('Retry-After')).toBeNull();
    }
    const refused = await app.call(ip('203.0.113.10'));
    const body = await expectEnvelope(refused, 429, 'RATE_LIMITED');
    const retryAfter = refused.headers.get('Retry-After');
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.headers.get('RateLimit-Reset')).toBe(retryAfter);
    expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
    expect(refused.headers.get('RateLimit-Limit')).toBe('3');
    expect(body.error.details).toEqual({ scope: 'ip', retryAfterSeconds: Number(retryAfter) });
    expect(app.handled()).toBe(3);
  });

  it('enforces the real otp-send class from RATE_LIMITS', async () => {
    const app = limitedApp({ class: 'otp-send', key: 'ip', prefix: uniquePrefix() });
    const limit = RATE_LIMITS['otp-send'].perIp;
    for (let i = 0; i < limit; i++) expect((await app.call(ip('198.51.100.4'))).status).toBe(200);
    const refused = await app.call(ip('198.51.100.4'));
    await expectEnvelope(refused, 429, 'RATE_LIMITED');
    expect(refused.headers.get('RateLimit-Policy')).toBe(`${limit};w=${RATE_LIMITS['otp-send'].windowSeconds}`);
  });

  it('refuses to build a per-user limiter for an anonymous-only class', () => {
    expect(() => rateLimit({ class: 'otp-send', key: 'user' })).toThrow(/no per-user limits/);
  });
});

describe('rateLimit: whose requests count together', () => {
  it('counts each CF-Connecting-IP separately', async () => {
    const app = limitedApp({ class: 'otp-send', key: 'ip', prefix: uniquePrefix(), policy: policy({ perIp: 1 }) });
    expect((await app.call(ip('203.0.113.20'))).status).toBe(200);
    expect((await app.call(ip('203.0.113.20'))).status).toBe(429);
    expect((await app.call(ip('203.0.113.21'))).status).toBe(200);
  });

  it('ignores X-Forwarded-For and X-Real-IP: they cannot buy a fresh bucket', async () => {
    const app = limitedApp({ class: 'otp-send', key: 'ip', prefix: uniquePrefix(), policy: policy({ perIp: 1 }) });
    expect((await app.call({ ...ip('203.0.113.30'), 'X-Forwarded-For': '10.0.0.1' })).status).toBe(200);
    expect((await app.call({ ...ip('203.0.113.30'), 'X-Forwarded-For': '10.0.0.2', 'X-Real-IP': '10.0.0.3' })).status).toBe(429);
    // Without CF-Connecting-IP every caller shares the one 'unknown' bucket, whatever else it claims.
    expect((await app.call({ 'X-Forwarded-For': '10.0.0.4' })).status).toBe(200);
    expect((await app.call({ 'X-Forwarded-For': '10.0.0.5' })).status).toBe(429);
  });

  it('counts IPv6 callers per /64', async () => {
    expect(addressBucket('2001:db8:aa:bb:1:2:3:4')).toBe('2001:db8:aa:bb::/64');
    expect(addressBucket('2001:DB8:AA:BB::9')).toBe('2001:db8:aa:bb::/64');
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    const app = limitedApp({ class: 'otp-send', key: 'ip', prefix: uniquePrefix(), policy: policy({ perIp: 1 }) });
    expect((await app.call(ip('2001:db8:aa:bb::1'))).status).toBe(200);
    expect((await app.call(ip('2001:db8:aa:bb:ffff::2'))).status).toBe(429);
    expect((await app.call(ip('2001:db8:aa:bc::1'))).status).toBe(200);
  });

  it("counts signed-in users per user at their tier's limit, and anonymous callers by IP", async () => {
    const perUser = { free: 2, basic: 3, standard: 3, premium: 4 };
    const app = limitedApp({ class: 'read', key: 'user', prefix: uniquePrefix(), policy: policy({ perIp: 1, perUser }) });
    const sameIp = ip('203.0.113.40');
    const alice = crypto.randomUUID();
    const bob = crypto.randomUUID();
    const carol = crypto.randomUUID();

    for (let i = 0; i < 2; i++) expect((await app.call({ ...sameIp, 'X-Test-User': alice })).status).toBe(200);
    const refused = await app.call({ ...sameIp, 'X-Test-User': alice });
    expect((await expectEnvelope(refused, 429, 'RATE_LIMITED')).error.details.scope).toBe('user');

    // Another user on the same address has a bucket of their own.
    const bobs = await app.call({ ...sameIp, 'X-Test-User': `${bob}/free` });
    expect(bobs.status).toBe(200);
    expect(bobs.headers.get('RateLimit-Limit')).toBe('2');

    // A premium user gets the premium limit.
    for (let i = 0; i < 4; i++) expect((await app.call({ ...sameIp, 'X-Test-User': `${carol}/premium` })).status).toBe(200);
    expect((await app.call({ ...sameIp, 'X-Test-User': `${carol}/premium` })).status).toBe(429);

    // Anonymous: per IP, at perIp.
    expect((await app.call(sameIp)).headers.get('RateLimit-Limit')).toBe('1');
    expect((await app.call(sameIp)).status).toBe(429);
  });

  it("'ip+user' refuses when either the user's or the address's bucket is empty", async () => {
    const app = limitedApp({ class: 'write', key: 'ip+user', prefix: uniquePrefix(), policy: policy({ perIp: 3, perUser: { free: 2, basic: 2, standard: 2, premium: 2 } }) });
    const sameIp = ip('203.0.113.50');
    const dana = crypto.randomUUID();
    const erin = crypto.randomUUID();
    const first = await app.call({ ...sameIp, 'X-Test-User': dana });
    // The tightest bucket is reported: the user's (2 - 1) rather than the address's (3 - 1).
    expect([first.headers.get('RateLimit-Limit'), first.headers.get('RateLimit-Remaining')]).toEqual(['2', '1']);
    expect((await app.call({ ...sameIp, 'X-Test-User': dana })).status).toBe(200);
    expect((await expectEnvelope(await app.call({ ...sameIp, 'X-Test-User': dana }), 429, 'RATE_LIMITED')).error.details.scope).toBe('user');
    // Erin's own bucket is full, but the address has spent its 3 (Dana's refused try counted too).
    expect((await expectEnvelope(await app.call({ ...sameIp, 'X-Test-User': erin }), 429, 'RATE_LIMITED')).error.details.scope).toBe('ip');
  });
});

describe('rateLimit: when Redis cannot be reached', () => {
  it('a fail-closed class answers 503 UNAVAILABLE and never runs the handler', async () => {
    const app = limitedApp({ class: 'auth', key: 'ip', prefix: uniquePrefix() });
    const res = await app.call(ip('203.0.113.60'), UNREACHABLE);
    const body = await expectEnvelope(res, 503, 'UNAVAILABLE');
    expect(body.error.message).toMatch(/rate limiter cannot be reached/);
    expect(res.headers.get('Retry-After')).toBe('10');
    expect(app.handled()).toBe(0);
  });

  it.each(['otp-send', 'otp-verify', 'password-reset'] as const)('%s fails closed too', async (cls) => {
    const app = limitedApp({ class: cls, key: 'ip', prefix: uniquePrefix() });
    await expectEnvelope(await app.call(ip('203.0.113.61'), UNREACHABLE), 503, 'UNAVAILABLE');
  });

  it('a fail-open class lets the request through quickly, without RateLimit headers', async () => {
    const app = limitedApp({ class: 'read', key: 'ip+user', prefix: uniquePrefix() });
    const started = performance.now();
    const res = await app.call({ ...ip('203.0.113.62'), 'X-Test-User': crypto.randomUUID() }, UNREACHABLE);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('RateLimit-Limit')).toBeNull();
    expect(app.handled()).toBe(1);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("a Redis slower than the class's timeout counts as unreachable: closed refuses, open passes", async () => {
    // The real Redis, but a 1 ms budget: the answer cannot arrive in time.
    const closed = limitedApp({ class: 'auth', key: 'ip', prefix: uniquePrefix(), policy: policy({ timeoutMs: 1 }) });
    await expectEnvelope(await closed.call(ip('203.0.113.64')), 503, 'UNAVAILABLE');
    const open = limitedApp({ class: 'read', key: 'ip', prefix: uniquePrefix(), policy: policy({ timeoutMs: 1, onRedisFailure: 'open' }) });
    const res = await open.call(ip('203.0.113.64'));
    expect(res.status).toBe(200);
    expect(res.headers.get('RateLimit-Limit')).toBeNull();
  });

  it('a caller already refused stays refused by this isolate while Redis is down (no free pass, no 503)', async () => {
    const prefix = uniquePrefix();
    const app = limitedApp({ class: 'otp-send', key: 'ip', prefix, policy: policy({ perIp: 1 }) });
    expect((await app.call(ip('203.0.113.63'))).status).toBe(200);
    expect((await app.call(ip('203.0.113.63'))).status).toBe(429);
    const res = await app.call(ip('203.0.113.63'), UNREACHABLE);
    await expectEnvelope(res, 429, 'RATE_LIMITED');
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
  });
});
