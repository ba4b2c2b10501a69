// The local Upstash endpoint must behave like Upstash for @upstash/redis and
// @upstash/ratelimit: base64 replies, pipelines, MULTI/EXEC, auth, errors, and
// the ratelimit scripts whose shebang flag only Upstash accepts.
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { describe, expect, it } from 'vitest';

const env = process.env as Record<string, string>;
const redis = new Redis({ url: env.UPSTASH_REDIS_REST_URL!, token: env.UPSTASH_REDIS_REST_TOKEN! });
const key = (name: string) => `test:${name}:${Date.now()}:${Math.random()}`;

describe('Upstash REST endpoint', () => {
  it('round-trips JSON and non-ASCII text', async () => {
    const k = key('json');
    await redis.set(k, { title: 'شهرزاد', n: 3 }, { ex: 60 });
    expect(await redis.get(k)).toEqual({ title: 'شهرزاد', n: 3 });
    expect(await redis.ttl(k)).toBeGreaterThan(0);
  });

  it('answers pipelines per command, errors included', async () => {
    const k = key('pipe');
    const p = redis.pipeline();
    p.incr(k);
    p.incr(k);
    p.get(key('missing'));
    expect(await p.exec()).toEqual([1, 2, null]);
  });

  it('runs MULTI/EXEC atomically', async () => {
    const k = key('multi');
    const m = redis.multi();
    m.set(k, 10);
    m.incrby(k, 5);
    expect(await m.exec()).toEqual(['OK', 15]);
  });

  it('rejects a wrong token', async () => {
    const bad = new Redis({ url: env.UPSTASH_REDIS_REST_URL!, token: 'wrong' });
    await expect(bad.get('x')).rejects.toThrow(/Unauthorized/);
  });

  it('surfaces Redis errors to the client', async () => {
    const k = key('wrongtype');
    await redis.set(k, 'text');
    await expect(redis.incr(k)).rejects.toThrow(/not an integer/);
  });

  it('runs @upstash/ratelimit scripts (sliding window and token bucket)', async () => {
    const sliding = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(3, '10 s'), prefix: key('rl') });
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await sliding.limit('client')).success);
    expect(results).toEqual([true, true, true, false]);

    const bucket = new Ratelimit({ redis, limiter: Ratelimit.tokenBucket(1, '10 s', 2), prefix: key('tb') });
    const bucketResults = [];
    for (let i = 0; i < 3; i++) bucketResults.push((await bucket.limit('client')).success);
    expect(bucketResults).toEqual([true, true, false]);
  });
});
