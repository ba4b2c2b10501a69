import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrate, MigrationError, readMigrationFiles } from '../migrate.ts';
import { QUEUES } from '../queues.ts';
import { createTempDatabase, withClient, type TempDatabase } from './helpers/databases.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
const MIGRATE_CLI = fileURLToPath(new URL('../migrate.ts', import.meta.url));
// The project's Node 22 (it runs .ts directly), whatever node started vitest.
const NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));

const databases: TempDatabase[] = [];
const tempDirs: string[] = [];

async function emptyDatabase(): Promise<TempDatabase> {
  const db = await createTempDatabase({ migrate: false });
  databases.push(db);
  return db;
}

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'irdnl-migrations-'));
  tempDirs.push(dir);
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
  return dir;
}

async function tableExists(url: string, table: string): Promise<boolean> {
  return withClient(url, async (c) => (await c.query('SELECT to_regclass($1) IS NOT NULL AS ok', [table])).rows[0].ok);
}

async function appliedFiles(url: string): Promise<string[]> {
  return withClient(url, async (c) => (await c.query('SELECT filename FROM schema_migrations ORDER BY filename')).rows.map((r) => r.filename));
}

afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

describe('migrate on a fresh database', () => {
  it('applies every file in order, records checksums, installs pg-boss and the queues', async () => {
    const db = await emptyDatabase();
    const logs: string[] = [];
    const { applied } = await migrate(db.url, { log: (m) => logs.push(m) });

    const onDisk = (await readdir(MIGRATIONS_DIR)).filter((n) => n.endsWith('.sql')).sort();
    expect(onDisk.length).toBeGreaterThan(0);
    expect(applied).toEqual(onDisk);

    const expected = await readMigrationFiles(MIGRATIONS_DIR);
    await withClient(db.url, async (c) => {
      const { rows } = await c.query('SELECT filename, checksum FROM schema_migrations ORDER BY filename');
      expect(rows).toEqual(expected.map((f) => ({ filename: f.name, checksum: f.checksum })));

      const version = await c.query('SELECT version FROM pgboss.version');
      expect(version.rows).toHaveLength(1);

      const queues = await c.query(`
        SELECT name, policy, retry_limit, retry_delay, retry_backoff, retry_delay_max, expire_seconds,
               retention_seconds, deletion_seconds, heartbeat_seconds, partition, dead_letter
        FROM pgboss.queue ORDER BY name`);
      const want = Object.entries(QUEUES)
        .map(([name, q]) => ({
          name,
          policy: q.policy,
          retry_limit: q.retryLimit,
          retry_delay: q.retryDelay,
          retry_backoff: q.retryBackoff,
          retry_delay_max: q.retryDelayMax,
          expire_seconds: q.expireInSeconds,
          retention_seconds: q.retentionSeconds,
          deletion_seconds: q.deleteAfterSeconds,
          heartbeat_seconds: q.heartbeatSeconds,
          partition: false,
          dead_letter: null,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      expect(queues.rows).toEqual(want);
    });
    expect(logs).toContain('queue transcode: created');
  });

  it('is a no-op the second time: nothing applied, queues untouched', async () => {
    const db = await emptyDatabase();
    await migrate(db.url);
    const snapshot = (url: string) =>
      withClient(url, async (c) => ({
        migrations: (await c.query('SELECT filename, applied_at FROM schema_migrations ORDER BY filename')).rows,
        queues: (await c.query('SELECT name, updated_on FROM pgboss.queue ORDER BY name')).rows,
      }));
    const before = await snapshot(db.url);
    const logs: string[] = [];
    const { applied } = await migrate(db.url, { log: (m) => logs.push(m) });
    expect(applied).toEqual([]);
    expect(await snapshot(db.url)).toEqual(before);
    expect(logs.filter((m) => m.startsWith('queue '))).toEqual([]);
  });

  it('puts a queue setting changed by hand back to its policy', async () => {
    const db = await emptyDatabase();
    await migrate(db.url);
    await withClient(db.url, (c) => c.query("UPDATE pgboss.queue SET retry_limit = 9, heartbeat_seconds = NULL WHERE name = 'transcode'"));
    const logs: string[] = [];
    await migrate(db.url, { log: (m) => logs.push(m) });
    expect(logs).toContain('queue transcode: updated retryLimit, heartbeatSeconds');
    const { rows } = await withClient(db.url, (c) => c.query("SELECT retry_limit, heartbeat_seconds FROM pgboss.queue WHERE name = 'transcode'"));
    expect(rows[0]).toEqual({ retry_limit: QUEUES.transcode.retryLimit, heartbeat_seconds: QUEUES.transcode.heartbeatSeconds });
  });

  it('lets concurrent migrators through one at a time', async () => {
    const db = await emptyDatabase();
    const [a, b] = await Promise.all([migrate(db.url), migrate(db.url)]);
    const all = [...a.applied, ...b.applied].sort();
    expect(all).toEqual((await readMigrationFiles(MIGRATIONS_DIR)).map((f) => f.name));
    expect(a.applied.length === 0 || b.applied.length === 0).toBe(true);
  });
});

describe('a failing migration', () => {
  it('stops at that file with its name and the Postgres message, and keeps nothing of it', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir({
      '0001_ok.sql': 'CREATE TABLE first_table (id int PRIMARY KEY);\n',
      '0002_broken.sql': 'CREATE TABLE half_done (id int);\n\nINSERT INTO no_such_table VALUES (1);\n',
      '0003_never.sql': 'CREATE TABLE never_reached (id int);\n',
    });
    const err = await migrate(db.url, { migrationsDir: dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).file).toBe('0002_broken.sql');
    expect((err as Error).message).toMatch(/^migration 0002_broken\.sql failed: relation "no_such_table" does not exist \(line 3\) \[42P01\]/);

    expect(await appliedFiles(db.url)).toEqual(['0001_ok.sql']);
    expect(await tableExists(db.url, 'first_table')).toBe(true);
    expect(await tableExists(db.url, 'half_done')).toBe(false);
    expect(await tableExists(db.url, 'never_reached')).toBe(false);
    // pg-boss is only installed after every file succeeded.
    expect(await tableExists(db.url, 'pgboss.version')).toBe(false);
  });

  it('makes the CLI exit with code 1 and print the file name', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir({ '0001_broken.sql': 'SELECT 1/0;\n' });
    const result = await promisify(execFile)(NODE, [MIGRATE_CLI], {
      env: { ...process.env, DATABASE_URL: db.url, MIGRATIONS_DIR: dir },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('migration 0001_broken.sql failed: division by zero');
  });

  it('refuses files that do not follow the naming scheme or share a number', async () => {
    await expect(readMigrationFiles(await migrationsDir({ '1_bad.sql': '' }))).rejects.toThrow(/1_bad\.sql is not named/);
    await expect(readMigrationFiles(await migrationsDir({ '0001_a.sql': '', '0001_b.sql': '' }))).rejects.toThrow(/share the number 0001/);
  });
});

describe('checksum drift', () => {
  it('refuses to run when an applied file was edited, naming the file, and applies nothing new', async () => {
    const db = await emptyDatabase();
    const dir = await migrationsDir({ '0001_people.sql': 'CREATE TABLE drift_people (id int);\n' });
    await migrate(db.url, { migrationsDir: dir, queues: false });

    await writeFile(path.join(dir, '0001_people.sql'), 'CREATE TABLE drift_people (id bigint);\n');
    await writeFile(path.join(dir, '0002_more.sql'), 'CREATE TABLE drift_more (id int);\n');
    await expect(migrate(db.url, { migrationsDir: dir, queues: false })).rejects.toThrow(
      /^migration 0001_people\.sql was changed after it was applied/,
    );
    expect(await appliedFiles(db.url)).toEqual(['0001_people.sql']);
    expect(await tableExists(db.url, 'drift_more')).toBe(false);
  });
});
