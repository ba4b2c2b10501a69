// Every db test file works in a database of its own, created from the test
// stack's DATABASE_URL and dropped afterwards, so no test sees another's rows
// and no origin-worker test can claim a job enqueued here.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import { migrate } from '../../migrate.ts';
import type { Statement } from '../../sql/statement.ts';

export interface TempDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export function stackDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run db tests through vitest with the test stack');
  return url;
}

/** A new, empty database; migrated (SQL files, pg-boss, queues) unless told otherwise. */
export async function createTempDatabase(opts: { migrate?: boolean } = {}): Promise<TempDatabase> {
  const base = stackDatabaseUrl();
  const name = `mig_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withClient(base, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db: TempDatabase = {
    name,
    url: url.toString(),
    drop: () => withClient(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
  if (opts.migrate !== false) await migrate(db.url);
  return db;
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function run<Row>(client: pg.Client, statement: Statement<Row>): Promise<Row[]> {
  return (await client.query(statement.text, statement.params as unknown[])).rows as Row[];
}

/** Runs statements as one transaction, the way Db.batch does over pg. */
export async function batch(client: pg.Client, statements: readonly Statement<any>[]): Promise<unknown[][]> {
  await client.query('BEGIN');
  try {
    const results: unknown[][] = [];
    for (const s of statements) results.push(await run(client, s));
    await client.query('COMMIT');
    return results;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

/** Asserts a Postgres error by SQLSTATE and, when given, constraint name. */
export async function expectPgError(promise: Promise<unknown>, code: string, constraint?: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as { code?: string; constraint?: string; message?: string },
  );
  expect(err, `expected Postgres error ${code}${constraint ? ` (${constraint})` : ''}`).toBeDefined();
  expect({ code: err?.code, constraint: constraint === undefined ? undefined : err?.constraint }).toEqual({ code, constraint });
}

/**
 * A migrated database of this test file's own plus one connected client,
 * created before its tests and dropped after them. Read `db` and `client`
 * inside tests and hooks (they exist once beforeAll has run).
 */
export function useTempDatabase(): { readonly db: TempDatabase; readonly client: pg.Client } {
  let db: TempDatabase | undefined;
  let client: pg.Client | undefined;
  beforeAll(async () => {
    db = await createTempDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });
  return {
    get db() {
      if (!db) throw new Error('useTempDatabase: the database exists only once beforeAll has run');
      return db;
    },
    get client() {
      if (!client) throw new Error('useTempDatabase: the client exists only once beforeAll has run');
      return client;
    },
  };
}
