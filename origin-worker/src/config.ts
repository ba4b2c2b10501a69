// The worker's whole configuration, parsed once from the environment. Anything
// missing or malformed stops the process before it touches the database, with a
// message that names the variable (and never echoes a secret's value).
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const seconds = (min: number, max: number) => z.coerce.number().min(min).max(max);
const optionalText = z.string().trim().min(1).optional();

const databaseUrl = z
  .string()
  .trim()
  .min(1)
  .refine((v) => /^postgres(ql)?:\/\/[^/]+/.test(v), 'must be a postgres:// connection string')
  // Neon's pooled hosts carry "-pooler" in the name. pg-boss holds claims and heartbeats on
  // session-level connections, which a transaction-mode pooler does not give.
  .refine((v) => !/^postgres(ql)?:\/\/[^/]*-pooler[.:]/.test(v), 'must be a direct connection, not a pooler host (-pooler)');

const schema = z.object({
  DATABASE_URL: databaseUrl,
  WORKER_ID: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'may only hold letters, digits and . _ : -').optional(),
  /** Transcode jobs this process runs at once. */
  WORKER_CONCURRENCY: int(1, 64).default(1),
  WORKER_HEALTH_PORT: int(0, 65535).default(8081),
  SHUTDOWN_GRACE_SECONDS: seconds(0, 3600).default(30),
  /** How often an idle worker asks the queue for work. */
  WORKER_POLL_SECONDS: seconds(0.5, 300).default(2),
  /** How often this instance runs pg-boss's supervisor (expiry, lost heartbeats). */
  WORKER_SUPERVISE_SECONDS: int(1, 3600).default(60),
  TEMP_DIR: z.string().trim().min(1).default(path.join(os.tmpdir(), 'irdnl-origin-worker')),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: optionalText,
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  MEDIA_BUCKET: optionalText,
});

export interface Config {
  databaseUrl: string;
  workerId: string;
  concurrency: number;
  healthPort: number;
  shutdownGraceSeconds: number;
  pollIntervalSeconds: number;
  superviseIntervalSeconds: number;
  /** Absolute. This worker's own job folders live in `<tempDir>/<workerId>/`. */
  tempDir: string;
  logLevel: LogLevel;
  /** Set only when every S3 variable is; the media pipeline will require it. */
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string; bucket: string } | null;
}

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in a compose file with `FOO=`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const message = issue.code === 'invalid_type' && cleaned[variable] === undefined ? 'is required' : issue.message;
    throw new ConfigError(variable, message.startsWith('is ') || message.startsWith('must') || message.startsWith('may') ? message : `is invalid: ${message}`);
  }
  const e = parsed.data;
  const s3Vars = [e.S3_ENDPOINT, e.S3_REGION, e.S3_ACCESS_KEY_ID, e.S3_SECRET_ACCESS_KEY, e.MEDIA_BUCKET];
  return {
    databaseUrl: e.DATABASE_URL,
    workerId: e.WORKER_ID ?? `${os.hostname()}-${process.pid}`,
    concurrency: e.WORKER_CONCURRENCY,
    healthPort: e.WORKER_HEALTH_PORT,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    pollIntervalSeconds: e.WORKER_POLL_SECONDS,
    superviseIntervalSeconds: e.WORKER_SUPERVISE_SECONDS,
    tempDir: path.resolve(e.TEMP_DIR),
    logLevel: e.LOG_LEVEL,
    s3: s3Vars.every((v) => v !== undefined)
      ? { endpoint: e.S3_ENDPOINT!, region: e.S3_REGION!, accessKeyId: e.S3_ACCESS_KEY_ID!, secretAccessKey: e.S3_SECRET_ACCESS_KEY!, bucket: e.MEDIA_BUCKET! }
      : null,
  };
}
