// Forward-only schema migrations, then pg-boss's schema and our queues.
//
//   node db/migrate.ts            (reads DATABASE_URL; `npm run db:migrate`)
//                                 (MIGRATIONS_DIR overrides db/migrations)
//
// - db/migrations/NNNN_name.sql run in file-name order, each in its own
//   transaction, recorded in schema_migrations with a sha256 of the file.
// - Re-running is a no-op. An applied file whose text changed is an error: fix
//   forward with a new file instead of editing history.
// - A session advisory lock serialises concurrent migrators (two deploys, the
//   dev stack and a test run). Session locks need a session: against Neon use
//   the direct connection string, not the `-pooler` one.
// - A file whose first line is `-- migrate:no-transaction` runs outside a
//   transaction (for CREATE INDEX CONCURRENTLY); it must hold one statement.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { installQueues } from './install-queues.ts';
import { isMain } from './is-main.ts';

export interface MigrateOptions {
  log?: (msg: string) => void;
  /** Defaults to db/migrations. */
  migrationsDir?: string;
  /** Install pg-boss's schema and the queues of db/queues.ts after the files. Default true. */
  queues?: boolean;
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** A migration that could not be applied, or an inconsistent migration history. */
export class MigrationError extends Error {
  readonly file: string | undefined;
  constructor(message: string, file?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
    this.file = file;
  }
}

const DEFAULT_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;
const NO_TRANSACTION = /^--\s*migrate:no-transaction\s*$/;
// Any fixed 64-bit number: the key only has to be the same for every migrator.
const LOCK_KEY = '7355608001';

export async function migrate(databaseUrl: string, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => undefined);
  const files = await readMigrationFiles(opts.migrationsDir ?? DEFAULT_DIR);
  warnIfPooled(databaseUrl, log);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'irdnl-migrate' });
  await client.connect();
  try {
    await lock(client, log);
    try {
      const applied = await applyFiles(client, files, log);
      if (opts.queues !== false) await installQueues(databaseUrl, log);
      return { applied };
    } finally {
      // Ending the session releases the lock too; never let a failed unlock hide the real error.
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

/** The migration files in apply order, with their checksums. */
export async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const seen = new Map<string, string>();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const match = FILE_NAME.exec(name);
    if (!match) throw new MigrationError(`migration file ${name} is not named NNNN_lowercase_name.sql`, name);
    const number = match[1]!;
    const other = seen.get(number);
    if (other) throw new MigrationError(`migration files ${other} and ${name} share the number ${number}`, name);
    seen.set(number, name);
    const bytes = await readFile(path.join(dir, name));
    files.push({ name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') });
  }
  return files;
}

async function lock(client: pg.Client, log: (msg: string) => void): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [LOCK_KEY]);
  if (rows[0]?.locked) return;
  log('another migration is running; waiting for it to finish');
  await client.query('SELECT pg_advisory_lock($1::bigint)', [LOCK_KEY]);
}

async function applyFiles(client: pg.Client, files: MigrationFile[], log: (msg: string) => void): Promise<string[]> {
  await client.query(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      filename    text PRIMARY KEY,
      checksum    text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
      applied_at  timestamptz NOT NULL DEFAULT now(),
      duration_ms integer NOT NULL CHECK (duration_ms >= 0)
    )`);
  const { rows } = await client.query<{ filename: string; checksum: string }>('SELECT filename, checksum FROM schema_migrations');
  const done = new Map(rows.map((r) => [r.filename, r.checksum]));

  // Check the whole history before changing anything.
  for (const file of files) {
    const checksum = done.get(file.name);
    if (checksum !== undefined && checksum !== file.checksum) {
      throw new MigrationError(
        `migration ${file.name} was changed after it was applied (checksum ${checksum.slice(0, 12)}… in the database, ` +
          `${file.checksum.slice(0, 12)}… on disk); restore it and add a new migration instead`,
        file.name,
      );
    }
  }
  const known = new Set(files.map((f) => f.name));
  const unknown = [...done.keys()].filter((name) => !known.has(name)).sort();
  if (unknown.length) log(`warning: the database has migrations this code does not: ${unknown.join(', ')} (an older build?)`);
  const newest = [...done.keys()].sort().at(-1);

  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file.name)) continue;
    if (newest && file.name < newest) log(`warning: ${file.name} is older than the already-applied ${newest}; applying it out of order`);
    const started = Date.now();
    await applyFile(client, file);
    applied.push(file.name);
    log(`applied ${file.name} (${Date.now() - started} ms)`);
  }
  return applied;
}

async function applyFile(client: pg.Client, file: MigrationFile): Promise<void> {
  const inTransaction = !NO_TRANSACTION.test(file.sql.split('\n', 1)[0] ?? '');
  const started = Date.now();
  if (inTransaction) await client.query('BEGIN');
  try {
    await client.query(file.sql);
    await client.query('INSERT INTO schema_migrations (filename, checksum, duration_ms) VALUES ($1, $2, $3)', [
      file.name,
      file.checksum,
      Date.now() - started,
    ]);
    if (inTransaction) await client.query('COMMIT');
  } catch (err) {
    if (inTransaction) await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationError(`migration ${file.name} failed: ${describeError(err, file.sql)}`, file.name, { cause: err });
  }
}

/** Postgres's message, with the line it points at and its detail and hint. */
function describeError(err: unknown, sql: string): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { position?: string; detail?: string; hint?: string; code?: string };
  let text = e.message;
  const position = Number(e.position);
  if (position > 0) text += ` (line ${sql.slice(0, position - 1).split('\n').length})`;
  if (e.code) text += ` [${e.code}]`;
  if (e.detail) text += `; detail: ${e.detail}`;
  if (e.hint) text += `; hint: ${e.hint}`;
  return text;
}

function warnIfPooled(databaseUrl: string, log: (msg: string) => void): void {
  let host = '';
  try {
    host = new URL(databaseUrl).hostname;
  } catch {
    return; // pg reports a malformed URL itself
  }
  if (host.includes('-pooler.')) {
    log('warning: this looks like a pooled (PgBouncer) connection string; migrations need the direct one for their session lock');
  }
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set');
    process.exit(1);
  }
  try {
    const migrationsDir = process.env.MIGRATIONS_DIR || undefined;
    const { applied } = await migrate(url, { log: (msg) => console.log(msg), migrationsDir });
    console.log(applied.length ? `applied ${applied.length} migration(s)` : 'migrations: up to date');
  } catch (err) {
    // One line, no stack: a MigrationError names the file; anything else is
    // most likely the connection (host, port, credentials, TLS).
    const e = err as NodeJS.ErrnoException;
    console.error(err instanceof MigrationError ? err.message : `db:migrate failed: ${e?.message || e?.code || String(err)}`);
    process.exit(1);
  }
}

if (await isMain(import.meta.url)) await main();
