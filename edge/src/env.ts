// The Worker's bindings (hand-written: vars and secrets from wrangler.toml and
// `wrangler secret put`, plus the R2 binding) and the configuration parsed from
// them with zod.
//
// Parsing is split by concern. The core settings (environment, log level, CORS)
// are needed by every request: when one is missing or invalid, every request
// answers 500 CONFIG_INVALID naming it. Each dependency (Postgres, Redis, the
// object store) is parsed on its own: a broken DATABASE_URL must not take down
// /health or the routes that never touch the database, and /health/ready must
// still answer 503 naming Postgres. Using that dependency answers
// CONFIG_INVALID naming the variable(s).
import { z } from 'zod';
import { authSchema, notifySchema, toAuthConfig, toNotifyConfig, type AuthConfig, type NotifyConfig } from './lib/auth/config.ts';
import { drmSchema, toDrmConfig, type DrmConfig } from './lib/drm-config.ts';
import { ApiError } from './lib/errors.ts';
import { playbackSchema, toPlaybackConfig, type PlaybackConfig } from './lib/playback/config.ts';
import { toUploadsConfig, uploadsSchema, type UploadsConfig } from './lib/uploads-config.ts';
import { toViewingConfig, viewingSchema, type ViewingConfig } from './lib/viewing-config.ts';
import { catalogSchema, toCatalogConfig, type CatalogConfig } from './lib/catalog-config.ts';

export interface Env {
  ENVIRONMENT: string;
  LOG_LEVEL: string;
  /** Comma-separated origins allowed by CORS, e.g. `https://irdnl.example`. */
  CORS_ORIGINS: string;
  MEDIA_BUCKET: string;
  DATABASE_URL: string;
  /** Local only: the HTTP /sql endpoint speaking Neon's protocol. */
  NEON_FETCH_ENDPOINT?: string;
  /** Local only: `host:port/v2` of the WebSocket relay. */
  NEON_WS_PROXY?: string;
  UPSTASH_REDIS_REST_URL: string;
  UPSTASH_REDIS_REST_TOKEN: string;
  /** Optional: how long fail-open rate-limit checks wait for Redis (default per class, 100-150 ms). */
  RATE_LIMIT_FAIL_OPEN_TIMEOUT_MS?: string;
  /** Local only: an S3-compatible endpoint used instead of the R2 binding. */
  S3_ENDPOINT?: string;
  S3_REGION?: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  /** Production media storage. */
  MEDIA: R2Bucket;
  /** Identity (edge/src/lib/auth/config.ts): secret JSON array of Ed25519 private JWKs, first signs. */
  AUTH_SIGNING_KEYS: string;
  /** Secret HMAC key for stored OTP codes. */
  AUTH_OTP_SECRET: string;
  AUTH_ISSUER?: string;
  AUTH_AUDIENCE?: string;
  ACCESS_TOKEN_TTL_SECONDS?: string;
  REFRESH_TOKEN_TTL_SECONDS?: string;
  OTP_TTL_SECONDS?: string;
  AUTH_REVOCATION_CACHE_MS?: string;
  /** SMS and email senders; the base URLs default to the real APIs. */
  SMS_PROVIDER?: string;
  KAVENEGAR_API_KEY: string;
  KAVENEGAR_BASE_URL?: string;
  KAVENEGAR_OTP_TEMPLATE?: string;
  EMAIL_PROVIDER?: string;
  SENDGRID_API_KEY: string;
  SENDGRID_BASE_URL?: string;
  EMAIL_FROM: string;
  /** Playback (edge/src/lib/playback/config.ts): secret JSON array of { kid, secret }, first signs media tokens. */
  MEDIA_TOKEN_KEYS: string;
  PLAYBACK_TTL_TRAILER_SECONDS?: string;
  PLAYBACK_TTL_EPISODE_SECONDS?: string;
  PLAYBACK_TTL_MOVIE_SECONDS?: string;
  STREAM_LEASE_SECONDS?: string;
  MEDIA_BASE_URL?: string;
  /** Uploads (edge/src/lib/uploads-config.ts). */
  UPLOAD_MAX_BYTES?: string;
  UPLOAD_CONTENT_TYPES?: string;
  UPLOAD_URL_TTL_SECONDS?: string;
  TRANSCODE_QUEUE?: string;
  /** Resume rules (edge/src/lib/viewing-config.ts). */
  RESUME_MIN_PERCENT?: string;
  RESUME_MAX_PERCENT?: string;
  /** Catalog caches (edge/src/lib/catalog-config.ts): `off` reads Postgres every time (ops kill switch; the benchmark's baseline). */
  CATALOG_CACHE?: string;
  CATALOG_EDGE_MAX_AGE?: string;
  CATALOG_CACHE_TIMEOUT_MS?: string;
  /** DRM (edge/src/lib/drm-config.ts): secret JSON array of { id, key }, key-encryption keys. */
  DRM_KEKS: string;
  DRM_PROVIDER?: string;
  AXINOM_COM_KEY_ID?: string;
  AXINOM_COM_KEY?: string;
  DRM_LICENSE_URL_WIDEVINE?: string;
  DRM_LICENSE_URL_PLAYREADY?: string;
  DRM_LICENSE_URL_FAIRPLAY?: string;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const origin = z.string().refine((s) => {
  try {
    return new URL(s).origin === s;
  } catch {
    return false;
  }
}, 'each entry must be an origin such as https://irdnl.example (scheme and host, no path or trailing slash)');

const httpUrl = (what: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL of the ${what}` });
const required = (what: string) => z.string({ error: `is required: ${what}` }).trim().min(1, `is required: ${what}`);

const coreSchema = z.object({
  ENVIRONMENT: z.enum(['production', 'staging', 'development', 'test', 'bench'], {
    error: 'must be one of production, staging, development, test, bench',
  }),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: 'must be one of debug, info, warn, error' }).default('info'),
  CORS_ORIGINS: z
    .string({ error: 'is required: comma-separated allowed origins' })
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(origin)),
});

const postgresSchema = z.object({
  DATABASE_URL: z
    .string({ error: 'is required: the Postgres connection string' })
    .regex(/^postgres(ql)?:\/\/[^/\s]+\/\S+$/, 'must be a postgres:// connection string with a database name'),
  NEON_FETCH_ENDPOINT: httpUrl('local Neon /sql endpoint').optional(),
  NEON_WS_PROXY: z.string().min(1).optional(),
});

const redisSchema = z.object({
  UPSTASH_REDIS_REST_URL: httpUrl('Upstash REST API'),
  UPSTASH_REDIS_REST_TOKEN: required('the Upstash REST token'),
  RATE_LIMIT_FAIL_OPEN_TIMEOUT_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(10).max(5000).optional(),
});

const s3Schema = z.object({
  S3_ENDPOINT: httpUrl('S3-compatible store'),
  S3_REGION: z.string().min(1).default('auto'),
  S3_ACCESS_KEY_ID: required('the S3 access key id (S3_ENDPOINT is set)'),
  S3_SECRET_ACCESS_KEY: required('the S3 secret access key (S3_ENDPOINT is set)'),
  MEDIA_BUCKET: required('the media bucket name'),
});

export interface PostgresConfig {
  databaseUrl: string;
  fetchEndpoint?: string;
  wsProxy?: string;
}
export interface RedisConfig {
  url: string;
  token: string;
  /** Overrides the fail-open classes' timeout (edge/src/lib/rate-limit-policy.ts). */
  failOpenTimeoutMs?: number;
}
export type ObjectStoreConfig =
  | { kind: 'r2'; bucket: R2Bucket }
  | { kind: 's3'; endpoint: string; region: string; accessKeyId: string; secretAccessKey: string; bucket: string };

/** A dependency's settings, or why they are unusable (variable names only, never values). */
export type DependencyConfig<T> = { ok: true; value: T } | { ok: false; variables: string[]; error: ApiError };

/** The settings of a dependency about to be used; CONFIG_INVALID naming the variables otherwise. */
export function usable<T>(dep: DependencyConfig<T>): T {
  if (!dep.ok) throw dep.error;
  return dep.value;
}

export interface Config {
  environment: z.infer<typeof coreSchema>['ENVIRONMENT'];
  logLevel: LogLevel;
  corsOrigins: string[];
  postgres: DependencyConfig<PostgresConfig>;
  redis: DependencyConfig<RedisConfig>;
  objectStore: DependencyConfig<ObjectStoreConfig>;
  auth: DependencyConfig<AuthConfig>;
  notify: DependencyConfig<NotifyConfig>;
  playback: DependencyConfig<PlaybackConfig>;
  uploads: DependencyConfig<UploadsConfig>;
  viewing: DependencyConfig<ViewingConfig>;
  catalog: DependencyConfig<CatalogConfig>;
  drm: DependencyConfig<DrmConfig>;
}

// Keyed by the env object: Workers hand the same bindings object to every
// request of an isolate, so this parses once per isolate. The entries hold
// only configuration derived from that object (no request data, no sockets)
// and are collected with it; tests that pass their own env get their own parse.
const cache = new WeakMap<object, Config | ApiError>();

/** Parses the bindings once per env object; throws ApiError CONFIG_INVALID. */
export function parseConfig(env: Env): Config {
  if (typeof env !== 'object' || env === null) {
    throw new ApiError('CONFIG_INVALID', 'Invalid configuration: the Worker received no bindings');
  }
  let entry = cache.get(env);
  if (!entry) {
    entry = parseUncached(env);
    cache.set(env, entry);
  }
  if (entry instanceof ApiError) throw entry;
  return entry;
}

function parseUncached(env: Env): Config | ApiError {
  const core = coreSchema.safeParse(env);
  if (!core.success) return configError(core.error);
  return {
    environment: core.data.ENVIRONMENT,
    logLevel: core.data.LOG_LEVEL,
    corsOrigins: core.data.CORS_ORIGINS,
    postgres: dependency(postgresSchema, env, (d) => ({
      databaseUrl: d.DATABASE_URL,
      fetchEndpoint: d.NEON_FETCH_ENDPOINT,
      wsProxy: d.NEON_WS_PROXY,
    })),
    redis: dependency(redisSchema, env, (d) => ({
      url: d.UPSTASH_REDIS_REST_URL,
      token: d.UPSTASH_REDIS_REST_TOKEN,
      failOpenTimeoutMs: d.RATE_LIMIT_FAIL_OPEN_TIMEOUT_MS,
    })),
    objectStore: objectStoreConfig(env),
    auth: dependency(authSchema, env, (d) => toAuthConfig(d, env.AUTH_SIGNING_KEYS)),
    notify: dependency(notifySchema, env, toNotifyConfig),
    playback: dependency(playbackSchema, env, (d) => toPlaybackConfig(d, env.MEDIA_TOKEN_KEYS)),
    uploads: dependency(uploadsSchema, env, toUploadsConfig),
    viewing: dependency(viewingSchema, env, toViewingConfig),
    catalog: dependency(catalogSchema, env, toCatalogConfig),
    drm: dependency(drmSchema, env, toDrmConfig),
  };
}

function objectStoreConfig(env: Env): DependencyConfig<ObjectStoreConfig> {
  if (env.S3_ENDPOINT !== undefined && env.S3_ENDPOINT !== '') {
    return dependency(s3Schema, env, (d) => ({
      kind: 's3',
      endpoint: d.S3_ENDPOINT.replace(/\/+$/, ''),
      region: d.S3_REGION,
      accessKeyId: d.S3_ACCESS_KEY_ID,
      secretAccessKey: d.S3_SECRET_ACCESS_KEY,
      bucket: d.MEDIA_BUCKET,
    }));
  }
  if (env.MEDIA && typeof env.MEDIA.get === 'function') return { ok: true, value: { kind: 'r2', bucket: env.MEDIA } };
  const error = new ApiError('CONFIG_INVALID', 'Invalid configuration: MEDIA is required: the R2 bucket binding (or set S3_ENDPOINT)', {
    details: { variables: [{ variable: 'MEDIA', problem: 'is required: the R2 bucket binding (or set S3_ENDPOINT)' }] },
  });
  return { ok: false, variables: ['MEDIA'], error };
}

function dependency<S extends z.ZodType, T>(schema: S, env: Env, map: (d: z.output<S>) => T): DependencyConfig<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return { ok: true, value: map(parsed.data) };
  const error = configError(parsed.error);
  return { ok: false, variables: problems(parsed.error).map((p) => p.variable), error };
}

function problems(error: z.ZodError): { variable: string; problem: string }[] {
  // Messages come from this file, never from the input: a bad secret is
  // named, not echoed.
  return error.issues.map((issue) => ({
    variable: String(issue.path[0] ?? 'env'),
    problem: issue.code === 'invalid_type' && issue.message.startsWith('Invalid input') ? 'is required' : issue.message,
  }));
}

function configError(error: z.ZodError): ApiError {
  const list = problems(error);
  const summary = list.map((p) => `${p.variable} ${p.problem}`).join('; ');
  return new ApiError('CONFIG_INVALID', `Invalid configuration: ${summary}`, { details: { variables: list } });
}
