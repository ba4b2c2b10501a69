// The local Neon endpoint must behave like Neon for the production driver:
// typed results, batches as one transaction, Postgres errors with their fields,
// and the WebSocket relay for Pool/Client.
import { neon, neonConfig, Pool } from '@neondatabase/serverless';
import ws from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';

const env = process.env as Record<string, string>;

beforeAll(() => {
  neonConfig.fetchEndpoint = env.NEON_FETCH_ENDPOINT!;
  neonConfig.wsProxy = env.NEON_WS_PROXY!;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  neonConfig.webSocketConstructor = ws;
});

describe('Neon HTTP endpoint', () => {
  it('returns rows typed by the driver, with RTL text untouched', async () => {
    const sql = neon(env.DATABASE_URL!);
    const [row] = await sql.query('SELECT 1::int AS one, $1::text AS title, $2::int[] AS arr, $3::jsonb AS meta, NULL::text AS nothing', [
      'سریال', [1, 2], { lang: 'fa' },
    ]);
    expect(row).toEqual({ one: 1, title: 'سریال', arr: [1, 2], meta: { lang: 'fa' }, nothing: null });
  });

  it('runs a batch as one transaction: a failing statement rolls back the earlier ones', async () => {
    const sql = neon(env.DATABASE_URL!);
    const table = `neon_batch_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    await sql.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
    await expect(
      sql.transaction([sql.query(`INSERT INTO ${table} VALUES (1)`), sql.query(`INSERT INTO ${table} VALUES (1)`)]),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await sql.query(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 0 }]);
    const results = await sql.transaction([sql.query(`INSERT INTO ${table} VALUES (2) RETURNING id`), sql.query(`SELECT count(*)::int AS n FROM ${table}`)]);
    expect(results).toEqual([[{ id: 2 }], [{ n: 1 }]]);
    await sql.query(`DROP TABLE ${table}`);
  });

  it('reports Postgres errors with SQLSTATE and position', async () => {
    const sql = neon(env.DATABASE_URL!);
    await expect(sql.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01', position: '15' });
  });

  it('fails cleanly when the database cannot be reached', async () => {
    const sql = neon('postgres://irdnl:x@127.0.0.1:1/nope');
    await expect(sql.query('SELECT 1')).rejects.toThrow(/connect/i);
  });
});

describe('Neon WebSocket relay', () => {
  it('carries an interactive transaction through Pool', async () => {
    const pool = new Pool({ connectionString: env.DATABASE_URL });
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query('SELECT txid_current() AS a');
      const { rows: again } = await client.query('SELECT txid_current() AS a');
      expect(again[0].a).toBe(rows[0].a);
      await client.query('COMMIT');
    } finally {
      client.release();
      await pool.end();
    }
  });
});
