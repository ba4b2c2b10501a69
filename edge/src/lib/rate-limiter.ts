// @upstash/ratelimit behind one function that never throws and says plainly
// whether Redis answered: `checkLimit()` returns the decision, or that Redis
// timed out or failed. The middleware decides what a failure means per class.
//
// Lifetimes (STYLE: no client survives between requests):
//  - the Redis client is the isolate's shared one for this configuration and
//    timeout (see redis.ts for why that is safe and why it matters); the
//    Ratelimit object is made per request, around it (cheap: a few fields);
//  - BLOCKED, the ephemeral cache, is module state on purpose: it maps a
//    limiter key to the end of the window in which it was refused (numbers
//    only, no I/O object), so repeated requests of a caller who is already over
//    the limit are refused by this isolate without a Redis round trip. It is
//    safe to share between requests because an entry only ever refuses a key
//    Redis itself refused, and only until that window ends. It is bounded so a
//    flood of distinct addresses cannot grow it without limit.
import { Ratelimit } from '@upstash/ratelimit';
import { createRedis, type Redis } from './redis.ts';
import type { RedisConfig } from '../env.ts';

const BLOCKED_MAX_ENTRIES = 10_000;

/** A Map that forgets its oldest entry past a size (what the ephemeral cache needs: has/get/set/delete). */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}

const BLOCKED = new BoundedMap<string, number>(BLOCKED_MAX_ENTRIES);

/**
 * The rate limiter's own Redis client: like the request's, but it gives up
 * fast, so it never keeps issuing subrequests long after the limiter decided.
 */
export function createLimiterRedis(config: RedisConfig, timeoutMs: number): Redis {
  return createRedis(config, { timeoutMs });
}

export interface LimitCheck {
  /** Redis key prefix, e.g. 'rl:otp-send'. */
  prefix: string;
  /** The caller within the prefix, e.g. 'ip:203.0.113.7' or 'user:premium:<uuid>'. */
  identifier: string;
  tokens: number;
  windowSeconds: number;
}

export type LimitOutcome =
  | {
      answered: true;
      success: boolean;
      limit: number;
      remaining: number;
      /** Unix ms when the window ends. */
      reset: number;
      /** Analytics or multi-region sync still running: hand to ctx.waitUntil. */
      pending: Promise<unknown>;
    }
  | { answered: false; reason: 'timeout' | 'error'; error?: unknown };

export async function checkLimit(redis: Redis, check: LimitCheck, timeoutMs: number): Promise<LimitOutcome> {
  const limiter = new Ratelimit({
    redis,
    prefix: check.prefix,
    limiter: Ratelimit.fixedWindow(check.tokens, `${check.windowSeconds} s`),
    // The library resolves { success: true, reason: 'timeout' } after this
    // long: fail-open by default. We report it as unanswered instead.
    timeout: timeoutMs,
    ephemeralCache: BLOCKED,
    analytics: false,
    enableTelemetry: false,
  });
  try {
    const res = await limiter.limit(check.identifier);
    if (res.reason === 'timeout') return { answered: false, reason: 'timeout' };
    return { answered: true, success: res.success, limit: res.limit, remaining: res.remaining, reset: res.reset, pending: res.pending };
  } catch (error) {
    // The library rejects (rather than failing open) when Redis errors.
    return { answered: false, reason: 'error', error };
  }
}
