// Real Postgres for the worker tests: DATABASE_URL comes from the test stack
// (already migrated, pg-boss installed). Each test file works on queues of its
// own, so files running side by side never claim each other's jobs.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { PgBoss } from 'pg-boss';
import type pg from 'pg';
import type { Db } from '../../../db/sql/statement.ts';
import type { QueueName } from '../../../db/queues.ts';
import { enqueueJob, getJob, type JobRow } from '../../../db/sql/jobs.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createDb, createPool } from '../../src/db.ts';

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through the root vitest config');
  return url;
}

export interface TestDb {
  pool: pg.Pool;
  db: Db;
  boss: PgBoss;
  close(): Promise<void>;
}

/** A pool for assertions and a pg-boss instance that only administers (no supervision, no workers). */
export async function openTestDb(): Promise<TestDb> {
  const pool = createPool({ databaseUrl: databaseUrl(), max: 4, applicationName: 'origin-worker-test' });
  const boss = new PgBoss({ connectionString: databaseUrl(), migrate: false, supervise: false, schedule: false, registerInstance: false, max: 2 });
  boss.on('error', () => undefined);
  await boss.start();
  return {
    pool,
    db: createDb(pool),
    boss,
    async close() {
      await boss.stop({ graceful: false });
      await pool.end();
    },
  };
}

/** A queue for one test, removed by the returned function. */
export async function createTestQueue(boss: PgBoss, options: { retryLimit?: number; heartbeatSeconds?: number } = {}): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `ow-test-${randomUUID().slice(0, 8)}`;
  await boss.createQueue(name, {
    retryLimit: options.retryLimit ?? 1,
    retryDelay: 0,
    ...(options.heartbeatSeconds ? { heartbeatSeconds: options.heartbeatSeconds } : {}),
  });
  return { name, drop: () => boss.deleteQueue(name) };
}

export interface EnqueueInput {
  queue: string;
  type: string;
  payload?: object;
}

/** Enqueues through db/sql/jobs.ts, both rows in one transaction, as the API will. */
export async function enqueue(db: Db, input: EnqueueInput): Promise<string> {
  const id = randomUUID();
  await db.batch(
    enqueueJob({ id, queue: input.queue as QueueName, type: input.type, subjectType: 'origin_worker_test', subjectId: id, data: input.payload ?? {} }),
  );
  return id;
}

export async function jobRow(db: Db, id: string): Promise<JobRow | undefined> {
  const [row] = await db.run(getJob(id));
  return row;
}

export async function bossJob(boss: PgBoss, queue: string, id: string) {
  const [job] = await boss.findJobs(queue, { id });
  return job;
}

/**
 * pg-boss's row once it reached `state`. Our `jobs` row is written by the job
 * itself, pg-boss's a moment later by the worker loop: wait for it rather than
 * reading it right after ours.
 */
export function bossJobIn(boss: PgBoss, queue: string, id: string, state: string) {
  return waitFor(`pg-boss job ${state}`, async () => {
    const job = await bossJob(boss, queue, id);
    return job?.state === state && job;
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function makeTempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ow-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The media bucket of the test stack (s3rver), as the worker's variables. */
export function mediaEnv(): Record<string, string> {
  const names = ['S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'MEDIA_BUCKET'] as const;
  return Object.fromEntries(
    names.map((n) => {
      const v = process.env[n];
      if (!v) throw new Error(`${n} is not set: run through the root vitest config`);
      return [n, v];
    }),
  );
}

/** Worker configuration for in-process tests: fast polling, short grace. */
export function testConfig(overrides: Record<string, string>): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl(),
    WORKER_ID: `test-${randomUUID().slice(0, 8)}`,
    WORKER_POLL_SECONDS: '0.5',
    WORKER_SUPERVISE_SECONDS: '60',
    SHUTDOWN_GRACE_SECONDS: '2',
    WORKER_HEALTH_PORT: '0',
    LOG_LEVEL: 'warn',
    ...overrides,
  });
}
