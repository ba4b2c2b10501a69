// The worker's whole configuration, parsed once from the environment. Anything
// missing or malformed stops the process before it touches the database, with a
// message that names the variable (and never echoes a secret's value).
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_LADDER_SIZES, parseLadderSizes } from './media/ladder.ts';
import { QUEUE_NAMES, isQueueName, type QueueName } from '../../db/queues.ts';

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
  /** Key-encryption keys for DRM content keys (db/drm/content-keys.ts): JSON [{ id, key }]; needed only for DRM assets. */
  DRM_KEKS: z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of { id, key } (not valid JSON)' });
        return z.NEVER;
      }
    })
    .pipe(z.array(z.object({ id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'each key must be 32 bytes, base64') }).strict()).min(1).max(3))
    .optional(),
  /** Rung sizes (short side), e.g. "1080,720,480,360"; rungs above the source are skipped. */
  TRANSCODE_LADDER: z
    .string()
    .trim()
    .default(DEFAULT_LADDER_SIZES.join(','))
    .transform((v, ctx) => {
      try {
        return parseLadderSizes(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Work only these queues (e.g. "system" on a box without media tools); all by default. */
  WORKER_QUEUES: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || v.split(',').every((q) => isQueueName(q.trim())), `must be a comma-separated list of: ${QUEUE_NAMES.join(', ')}`),
  /** Optional: Upstash Redis, to tell the edge's catalog cache when a video is published (else reads catch up within its 5-minute TTL). */
  UPSTASH_REDIS_REST_URL: z.url({ protocol: /^https?$/ }).optional(),
  UPSTASH_REDIS_REST_TOKEN: optionalText,
  X264_PRESET: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']).default('veryfast'),
  FFMPEG_PATH: optionalText,
  FFPROBE_PATH: optionalText,
  PACKAGER_PATH: optionalText,
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
  /** The queues this worker may work; null = every queue its job table uses. */
  queues: QueueName[] | null;
  /** Set only when every S3 variable is; the transcode job requires it (see jobs/index.ts). */
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string; bucket: string } | null;
  /** Upstash Redis for the catalog cache version; null when unset. */
  catalogCache: { url: string; token: string } | null;
  /** Which S3 variable is missing when `s3` is null, for the error that needs it. */
  s3Missing: string | null;
  media: {
    ladderSizes: number[];
    x264Preset: string;
    /** Overrides of the npm packages' binaries (the image points them at Debian's ffmpeg). */
    ffmpegPath?: string;
    ffprobePath?: string;
    packagerPath?: string;
    /** DRM_KEKS; a DRM asset fails with a clear reason when unset. */
    keks: { id: string; key: string }[];
  };
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
  const s3Vars = { S3_ENDPOINT: e.S3_ENDPOINT, S3_REGION: e.S3_REGION, S3_ACCESS_KEY_ID: e.S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: e.S3_SECRET_ACCESS_KEY, MEDIA_BUCKET: e.MEDIA_BUCKET };
  const s3Missing = Object.entries(s3Vars).find(([, v]) => v === undefined)?.[0] ?? null;
  // Both or neither: one alone is a deployment mistake worth stopping for.
  if ((e.UPSTASH_REDIS_REST_URL === undefined) !== (e.UPSTASH_REDIS_REST_TOKEN === undefined)) {
    const missing = e.UPSTASH_REDIS_REST_URL === undefined ? 'UPSTASH_REDIS_REST_URL' : 'UPSTASH_REDIS_REST_TOKEN';
    throw new ConfigError(missing, 'is required when the other UPSTASH_REDIS_REST_* variable is set');
  }
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
    queues: e.WORKER_QUEUES ? (e.WORKER_QUEUES.split(',').map((q) => q.trim()) as QueueName[]) : null,
    s3: s3Missing === null
      ? { endpoint: e.S3_ENDPOINT!, region: e.S3_REGION!, accessKeyId: e.S3_ACCESS_KEY_ID!, secretAccessKey: e.S3_SECRET_ACCESS_KEY!, bucket: e.MEDIA_BUCKET! }
      : null,
    s3Missing,
    catalogCache: e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN ? { url: e.UPSTASH_REDIS_REST_URL, token: e.UPSTASH_REDIS_REST_TOKEN } : null,
    media: {
      ladderSizes: e.TRANSCODE_LADDER,
      x264Preset: e.X264_PRESET,
      ffmpegPath: e.FFMPEG_PATH,
      ffprobePath: e.FFPROBE_PATH,
      packagerPath: e.PACKAGER_PATH,
      keks: e.DRM_KEKS ?? [],
    },
  };
}
