// rateLimit({ class, key }): per-IP and per-user limits for a route class
// (edge/src/lib/rate-limit-policy.ts), enforced with @upstash/ratelimit.
//
//   router.use('/auth/otp/send', rateLimit({ class: 'otp-send', key: 'ip' }));
//   router.use('/catalog/*', requireAuth(), rateLimit({ class: 'read', key: 'ip+user' }));
//
// key: 'ip' counts per client address; 'user' counts per signed-in user (by
// tier) and falls back to the address for anonymous callers; 'ip+user' counts
// both and refuses when either is exhausted. Mount it after requireAuth()
// when the user should count: it reads c.get('auth') and never authenticates.
//
// Answers: every limited response carries RateLimit-Limit, -Remaining, -Reset
// (delta seconds, IETF httpapi-ratelimit-headers draft) and RateLimit-Policy of
// the tightest bucket; a refusal is 429 RATE_LIMITED with Retry-After. When
// Redis times out or fails, a fail-closed class answers 503 UNAVAILABLE and a
// fail-open class lets the request through without the headers (nothing is
// known) and logs a warning.
import type { Context, MiddlewareHandler } from 'hono';
import { clientIp } from '../lib/auth/context.ts';
import { afterResponse } from '../lib/background.ts';
import { ApiError } from '../lib/errors.ts';
import { checkLimit, createLimiterRedis, type LimitCheck, type LimitOutcome } from '../lib/rate-limiter.ts';
import { isTier, RATE_LIMITS, type RateLimitClass, type RateLimitPolicy } from '../lib/rate-limit-policy.ts';
import type { AppEnv } from '../types.ts';

export interface RateLimitOptions {
  class: RateLimitClass;
  key: 'ip' | 'user' | 'ip+user';
  /** First part of every Redis key (default 'rl'); tests give each test its own. */
  prefix?: string;
  /** Replaces the class's entry in RATE_LIMITS (tests, or a route with a special need). */
  policy?: RateLimitPolicy;
}

/** Seconds a client is told to wait when the limiter itself is down (fail-closed classes). */
const UNAVAILABLE_RETRY_AFTER = 10;

interface Bucket {
  scope: 'ip' | 'user';
  check: LimitCheck;
}

export function rateLimit(opts: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const policy = opts.policy ?? RATE_LIMITS[opts.class];
  // Only the shared classes follow RATE_LIMIT_FAIL_OPEN_TIMEOUT_MS; a policy
  // passed in explicitly (tests of the middleware itself) is used as given.
  const tunable = opts.policy === undefined;
  if (opts.key !== 'ip' && !policy.perUser) {
    // A wiring mistake, caught when the router is built rather than per request.
    throw new Error(`rate limit class "${opts.class}" has no per-user limits: use key 'ip'`);
  }
  const prefix = `${opts.prefix ?? 'rl'}:${opts.class}`;

  return async (c, next) => {
    const buckets = bucketsFor(c, opts.key, policy, prefix);
    const outcomes = await runChecks(c, policy, buckets, tunable);

    const failed = outcomes.filter((o) => !o.outcome.answered);
    if (failed.length > 0) {
      const log = c.get('logger');
      const fields = {
        class: opts.class,
        failures: failed.map(({ bucket, outcome }) => ({
          scope: bucket.scope,
          reason: outcome.answered ? undefined : outcome.reason,
          error: !outcome.answered && outcome.error instanceof Error ? outcome.error.message : undefined,
        })),
      };
      if (policy.onRedisFailure === 'closed') {
        log.warn('rate limiter unavailable: refusing (fail-closed class)', fields);
        throw new ApiError('UNAVAILABLE', 'This action is rate limited and the rate limiter cannot be reached right now, so it is refused; try again shortly', {
          headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER) },
        });
      }
      log.warn('rate limiter unavailable: letting the request through (fail-open class)', fields);
    }

    const answered = outcomes.flatMap(({ bucket, outcome }) => (outcome.answered ? [{ bucket, outcome }] : []));
    const refused = answered.filter(({ outcome }) => !outcome.success);
    if (refused.length > 0) {
      // The bucket that frees up last decides when a retry can succeed.
      const worst = refused.reduce((a, b) => (b.outcome.reset > a.outcome.reset ? b : a));
      const headers = rateLimitHeaders(worst.outcome, policy);
      const retryAfter = headers['RateLimit-Reset']!;
      throw new ApiError('RATE_LIMITED', `Too many requests; retry in ${retryAfter} seconds`, {
        headers: { ...headers, 'Retry-After': retryAfter },
        details: { scope: worst.bucket.scope, retryAfterSeconds: Number(retryAfter) },
      });
    }

    await next();

    if (answered.length > 0) {
      // The tightest bucket is the one the client has to pace itself by.
      const tightest = answered.reduce((a, b) => (b.outcome.remaining < a.outcome.remaining ? b : a));
      for (const [name, value] of Object.entries(rateLimitHeaders(tightest.outcome, policy))) c.header(name, value);
    }
  };
}

function bucketsFor(c: Context<AppEnv>, key: RateLimitOptions['key'], policy: RateLimitPolicy, prefix: string): Bucket[] {
  const auth = c.get('auth');
  const buckets: Bucket[] = [];
  const byUser = key !== 'ip' && auth !== undefined && policy.perUser !== null;
  if (key !== 'user' || !byUser) {
    buckets.push({
      scope: 'ip',
      check: { prefix, identifier: `ip:${addressBucket(clientIp(c))}`, tokens: policy.perIp, windowSeconds: policy.windowSeconds },
    });
  }
  if (byUser) {
    // The tier travels in the access token (the `tier` claim, see
    // access-token.ts); anything unexpected counts as 'free'. The tier is part
    // of the key, so an upgrade starts a fresh window at the new limit.
    const tier = isTier(auth.tier) ? auth.tier : 'free';
    buckets.push({
      scope: 'user',
      check: { prefix, identifier: `user:${tier}:${auth.userId}`, tokens: policy.perUser![tier], windowSeconds: policy.windowSeconds },
    });
  }
  return buckets;
}

async function runChecks(c: Context<AppEnv>, policy: RateLimitPolicy, buckets: Bucket[], tunable: boolean): Promise<{ bucket: Bucket; outcome: LimitOutcome }[]> {
  const redisConfig = c.get('config').redis;
  if (!redisConfig.ok) {
    // Misconfigured, not unreachable: a fail-closed class answers the usual
    // CONFIG_INVALID naming the variable; a fail-open one carries on.
    if (policy.onRedisFailure === 'closed') throw redisConfig.error;
    return buckets.map((bucket) => ({ bucket, outcome: { answered: false, reason: 'error', error: redisConfig.error } }));
  }
  const override = redisConfig.value.failOpenTimeoutMs;
  const timeoutMs = tunable && policy.onRedisFailure === 'open' && override !== undefined ? override : policy.timeoutMs;
  const redis = createLimiterRedis(redisConfig.value, timeoutMs);
  const outcomes = await Promise.all(buckets.map(async (bucket) => ({ bucket, outcome: await checkLimit(redis, bucket.check, timeoutMs) })));
  // Nobody waits for the limiter's background sync, with or without an execution context.
  for (const { outcome } of outcomes) if (outcome.answered) afterResponse(c, outcome.pending).catch(() => undefined);
  return outcomes;
}

function rateLimitHeaders(outcome: Extract<LimitOutcome, { answered: true }>, policy: RateLimitPolicy): Record<string, string> {
  const resetSeconds = Math.max(1, Math.ceil((outcome.reset - Date.now()) / 1000));
  return {
    'RateLimit-Limit': String(outcome.limit),
    'RateLimit-Remaining': String(outcome.remaining),
    'RateLimit-Reset': String(resetSeconds),
    'RateLimit-Policy': `${outcome.limit};w=${policy.windowSeconds}`,
  };
}

/**
 * The per-IP bucket of an address. CF-Connecting-IP is the only source
 * (clientIp(): X-Forwarded-For and friends are client-controlled). IPv6
 * counts per /64: one subscriber line usually gets a whole /64, and counting
 * single addresses would hand an attacker 2^64 fresh buckets.
 *
 * Without the header (only outside Cloudflare: local dev and tests) every
 * caller shares the one 'unknown' bucket; limiting them together is the safe
 * side, where a bucket per request would mean no limit at all.
 */
export function addressBucket(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  if (right.some((part) => part.includes('.')) || left.some((part) => part.includes('.'))) return ip.toLowerCase(); // IPv4-mapped: keep whole
  const groups = ip.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return ip.toLowerCase();
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

