import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { runMain } from './helpers/process.ts';

const DB = 'postgres://irdnl:s3cret-pw@127.0.0.1:5432/irdnl';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('applies defaults around a DATABASE_URL', () => {
    const config = loadConfig({ DATABASE_URL: DB });
    expect(config).toMatchObject({ databaseUrl: DB, concurrency: 1, healthPort: 8081, shutdownGraceSeconds: 30, logLevel: 'info', s3: null });
    expect(config.workerId).toMatch(new RegExp(`-${process.pid}$`));
  });

  it('parses the media settings and the queues to work', () => {
    expect(loadConfig({ DATABASE_URL: DB, TRANSCODE_LADDER: '720,360', WORKER_QUEUES: 'system' })).toMatchObject({ queues: ['system'], media: { ladderSizes: [720, 360], x264Preset: 'veryfast' } });
    expect(loadConfig({ DATABASE_URL: DB }).media.ladderSizes).toEqual([1080, 720, 480, 360]);
    expect(configError({ DATABASE_URL: DB, WORKER_QUEUES: 'system,nope' }).variable).toBe('WORKER_QUEUES');
    expect(configError({ DATABASE_URL: DB, TRANSCODE_LADDER: '1080,abc' }).variable).toBe('TRANSCODE_LADDER');
  });

  it('takes Upstash for the catalog cache version as a pair, or not at all', () => {
    expect(loadConfig({ DATABASE_URL: DB }).catalogCache).toBeNull();
    expect(loadConfig({ DATABASE_URL: DB, UPSTASH_REDIS_REST_URL: 'https://eu1.upstash.io', UPSTASH_REDIS_REST_TOKEN: 'tok' }).catalogCache).toEqual({ url: 'https://eu1.upstash.io', token: 'tok' });
    expect(configError({ DATABASE_URL: DB, UPSTASH_REDIS_REST_URL: 'https://eu1.upstash.io' }).variable).toBe('UPSTASH_REDIS_REST_TOKEN');
    const err = configError({ DATABASE_URL: DB, UPSTASH_REDIS_REST_TOKEN: 'tok-secret' });
    expect(err.variable).toBe('UPSTASH_REDIS_REST_URL');
    expect(err.message).not.toContain('tok-secret');
    expect(configError({ DATABASE_URL: DB, UPSTASH_REDIS_REST_URL: 'redis://x', UPSTASH_REDIS_REST_TOKEN: 'tok' }).variable).toBe('UPSTASH_REDIS_REST_URL');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: DB, WORKER_CONCURRENCY: '' }).concurrency).toBe(1);
  });

  it('names a missing DATABASE_URL', () => {
    const err = configError({});
    expect(err.variable).toBe('DATABASE_URL');
    expect(err.message).toBe('invalid configuration: DATABASE_URL is required');
  });

  it('names a malformed variable without echoing a secret', () => {
    expect(configError({ DATABASE_URL: DB, WORKER_CONCURRENCY: 'lots' }).variable).toBe('WORKER_CONCURRENCY');
    expect(configError({ DATABASE_URL: DB, WORKER_CONCURRENCY: '0' }).variable).toBe('WORKER_CONCURRENCY');
    expect(configError({ DATABASE_URL: DB, LOG_LEVEL: 'loud' }).variable).toBe('LOG_LEVEL');
    expect(configError({ DATABASE_URL: DB, WORKER_HEALTH_PORT: '70000' }).variable).toBe('WORKER_HEALTH_PORT');
    const bad = configError({ DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(bad.variable).toBe('DATABASE_URL');
    expect(bad.message).not.toContain('hunter2');
  });

  it('refuses a pooled (transaction-mode) Neon host', () => {
    const err = configError({ DATABASE_URL: 'postgres://u:p@ep-cool-123-pooler.eu-central-1.aws.neon.tech/db' });
    expect(err.message).toMatch(/DATABASE_URL must be a direct connection/);
  });

  it('exits the real process with 1 and one line naming the variable', async () => {
    const run = await runMain({ env: { DATABASE_URL: '', WORKER_CONCURRENCY: '2' } });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', message: 'invalid configuration: DATABASE_URL is required', fields: { variable: 'DATABASE_URL' } });
  });
});

describe('logger', () => {
  it('writes JSON lines with scope and masks secrets', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l), fields: { service: 'origin-worker' } });
    const job = logger.child({ workerId: 'w1', jobId: 'j1', jobType: 'cleanup-temp' });
    job.debug('not written');
    job.info('connected', {
      url: DB,
      password: 'hunter2',
      nested: { apiToken: 'abc', note: 'mail ali@example.com or call +989121234567' },
      err: new Error(`connect failed for ${DB}`),
    });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'info', message: 'connected', service: 'origin-worker', workerId: 'w1', jobId: 'j1', jobType: 'cleanup-temp' });
    expect(typeof line.time).toBe('string');
    expect(line.fields.url).toBe('postgres://irdnl:***@127.0.0.1:5432/irdnl');
    expect(line.fields.password).toBe('[redacted]');
    expect(line.fields.nested.apiToken).toBe('[redacted]');
    expect(line.fields.nested.note).toBe('mail [email] or call [phone]');
    expect(line.fields.err.message).toContain('irdnl:***@');
    expect(lines[0]).not.toMatch(/s3cret-pw|hunter2|ali@example/);
  });
});
