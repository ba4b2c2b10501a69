// /health/ready names the dependency that is down and answers 503, whether it
// is unreachable, rejects us or is misconfigured; it never crashes and never
// echoes a connection string.
import { describe, expect, it } from 'vitest';
import type { Services } from '../src/lib/services.ts';
import { checkReadiness } from '../src/services/check-readiness.ts';
import { call, envWith, expectEnvelope } from './helpers.ts';

async function ready(overrides: Parameters<typeof envWith>[0]) {
  const res = await call('/health/ready', undefined, envWith(overrides));
  const body = await expectEnvelope(res, 503, 'UNAVAILABLE');
  return body.error;
}

describe('GET /health/ready with a broken dependency', () => {
  it('names Postgres when DATABASE_URL points nowhere', async () => {
    const error = await ready({ DATABASE_URL: 'postgres://irdnl:x@127.0.0.1:1/nope' });
    expect(error.message).toBe('Not ready: postgres is down');
    expect(error.details.down).toEqual(['postgres']);
    expect(error.details.checks.postgres).toMatchObject({ status: 'down', reason: 'error' });
    expect(error.details.checks.redis.status).toBe('up');
    expect(error.details.checks.objectStore.status).toBe('up');
    expect(JSON.stringify(error)).not.toContain('127.0.0.1:1');
  });

  it('names Postgres, with the variable and without its value, when DATABASE_URL is not a postgres URL', async () => {
    const error = await ready({ DATABASE_URL: 'mysql://irdnl:s3cr3t@db.internal/irdnl' });
    expect(error.details.checks.postgres).toMatchObject({ status: 'down', reason: 'misconfigured', variables: ['DATABASE_URL'] });
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
  });

  it('names Redis when the Upstash token is missing', async () => {
    const error = await ready({ UPSTASH_REDIS_REST_TOKEN: undefined });
    expect(error.message).toBe('Not ready: redis is down');
    expect(error.details.checks.redis).toMatchObject({ status: 'down', reason: 'misconfigured', variables: ['UPSTASH_REDIS_REST_TOKEN'] });
  });

  it('names Redis when the Upstash token is wrong', async () => {
    const error = await ready({ UPSTASH_REDIS_REST_TOKEN: 'not-the-token' });
    expect(error.details.checks.redis).toMatchObject({ status: 'down', reason: 'error' });
    expect(JSON.stringify(error)).not.toContain('not-the-token');
  });

  it('names the object store when the S3 endpoint is unreachable', async () => {
    const error = await ready({ S3_ENDPOINT: 'http://127.0.0.1:1' });
    expect(error.message).toBe('Not ready: objectStore is down');
    expect(error.details.checks.objectStore).toMatchObject({ status: 'down', reason: 'error' });
  });

  it('names the object store when the S3 endpoint is not a URL', async () => {
    const error = await ready({ S3_ENDPOINT: 'not a url' });
    expect(error.details.checks.objectStore).toMatchObject({ status: 'down', reason: 'misconfigured', variables: ['S3_ENDPOINT'] });
  });

  it('names the object store when the bucket does not exist', async () => {
    const error = await ready({ MEDIA_BUCKET: 'no-such-bucket' });
    expect(error.details.checks.objectStore).toMatchObject({ status: 'down', reason: 'error' });
  });

  it('names every dependency that is down', async () => {
    const error = await ready({ DATABASE_URL: 'postgres://irdnl:x@127.0.0.1:1/nope', S3_ENDPOINT: 'http://127.0.0.1:1' });
    expect(error.message).toBe('Not ready: postgres, objectStore are down');
  });

  it('keeps liveness up while a dependency is down', async () => {
    const res = await call('/health', undefined, envWith({ DATABASE_URL: 'postgres://irdnl:x@127.0.0.1:1/nope' }));
    expect(res.status).toBe(200);
  });
});

describe('checkReadiness', () => {
  // Dependencies that never answer (a black-holed host) cannot be produced
  // reliably on loopback, so the timeout path is driven with clients whose
  // calls never settle.
  const hanging = () => new Promise<never>(() => {});
  const stuck = {
    db: { run: hanging, batch: hanging },
    redis: { ping: hanging },
    objectStore: { ping: hanging },
  } as unknown as Services;

  it('bounds every check by the timeout and runs them in parallel', async () => {
    const started = Date.now();
    const result = await checkReadiness(stuck, { timeoutMs: 200 });
    const elapsed = Date.now() - started;
    expect(result.ready).toBe(false);
    for (const check of Object.values(result.checks)) expect(check).toMatchObject({ status: 'down', reason: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(500);
  });
});
