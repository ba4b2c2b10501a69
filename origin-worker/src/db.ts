// The worker's side of db/sql/statement.ts: Statements run on a node-postgres
// pool, over a direct (session) connection to Postgres.
import pg from 'pg';
import type { Db, Statement } from '../../db/sql/statement.ts';

export interface PoolOptions {
  databaseUrl: string;
  max: number;
  /** Shows in pg_stat_activity, so a stuck connection can be traced to its worker. */
  applicationName: string;
}

export function createPool(opts: PoolOptions): pg.Pool {
  return new pg.Pool({
    connectionString: opts.databaseUrl,
    max: opts.max,
    application_name: opts.applicationName.slice(0, 63),
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
}

export function createDb(pool: pg.Pool): Db {
  return {
    async run<Row>(statement: Statement<Row>): Promise<Row[]> {
      const result = await pool.query(statement.text, statement.params as unknown[]);
      return result.rows as Row[];
    },
    async batch(statements: readonly Statement<any>[]): Promise<unknown[][]> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const results: unknown[][] = [];
        for (const s of statements) results.push((await client.query(s.text, s.params as unknown[])).rows);
        await client.query('COMMIT');
        return results;
      } catch (err) {
        await client.query('ROLLBACK').catch((e: unknown) => {
          // A connection that cannot roll back must not go back into the pool.
          broken = e instanceof Error ? e : new Error(String(e));
        });
        throw err;
      } finally {
        client.release(broken);
      }
    },
  };
}

/** True when a trivial query answers within `timeoutMs`. For the health endpoint. */
export async function pingDb(pool: pg.Pool, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([pool.query('SELECT 1').then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
