// Fixed ports per stack, so the dev stack and a test run can live side by side
// and the test configuration (Miniflare bindings) is known before anything starts.

export type StackName = 'dev' | 'test' | 'bench';

export interface StackPorts {
  postgres: number;
  redis: number;
  /** Neon HTTP (/sql) and WebSocket (/v2) endpoints share one port. */
  neon: number;
  upstash: number;
  s3: number;
  edge: number;
  workerHealth: number;
  /** Fake Kavenegar (SMS) and SendGrid (email) HTTP APIs. */
  kavenegar: number;
  sendgrid: number;
  /** Fake multi-DRM vendor (Axinom's license API). */
  drmVendor: number;
}

// All below Linux's ephemeral range (32768-60999): a port in it can be taken
// at any moment as the local end of some outgoing connection, and then a
// server of the stack cannot bind it (seen with the bench block at 35xxx).
const BASE: Record<StackName, number> = { dev: 15000, test: 24000, bench: 11000 };

/**
 * IRDNL_TEST_SLOT=1..7 (24xxx-31xxx) moves the test stack to its own port block and data
 * folder, so two checkouts (or two people on one machine) can run the suite at
 * the same time. Unset or 0 is the usual block.
 */
function testSlot(): number {
  const raw = process.env.IRDNL_TEST_SLOT ?? '';
  const slot = raw === '' ? 0 : Number(raw);
  if (!Number.isInteger(slot) || slot < 0 || slot > 7) throw new Error(`IRDNL_TEST_SLOT must be 0-7, got "${raw}"`);
  return slot;
}

/** Folder under .data/ for a stack's throwaway or dev data. */
export function stackDataName(name: StackName): string {
  const slot = name === 'test' ? testSlot() : 0;
  return slot === 0 ? name : `${name}-${slot}`;
}

export function stackPorts(name: StackName): StackPorts {
  const b = BASE[name] + (name === 'test' ? testSlot() * 1000 : 0);
  return {
    postgres: b + 432,
    redis: b + 379,
    neon: b + 444,
    upstash: b + 80,
    s3: b + 900,
    edge: name === 'dev' ? 8787 : b + 787,
    workerHealth: b + 81,
    kavenegar: b + 801,
    sendgrid: b + 802,
    drmVendor: b + 803,
  };
}

export const LOCAL_DB = { user: 'irdnl', password: 'irdnl-local', database: 'irdnl' } as const;
export const LOCAL_UPSTASH_TOKEN = 'local-upstash-token';
export const LOCAL_KAVENEGAR_API_KEY = 'local-kavenegar-key';
export const LOCAL_SENDGRID_API_KEY = 'SG.local-sendgrid-key';
// Local-only identity secrets (dev, tests, benches); production sets its own
// with `wrangler secret put`. An Ed25519 private JWK signs access tokens.
const LOCAL_AUTH_SIGNING_KEYS = JSON.stringify([
  { kty: 'OKP', crv: 'Ed25519', kid: 'local-2026-a', alg: 'Ed25519', x: 'IVGe0z_WNLlCp5zU-Xh9HooxjGaRPIzLLos0OltJbZc', d: 'oihKv6ZaPE7QbylGdlhjcw9r9e8S1J_anULpSulj0q8' },
]);
const LOCAL_AUTH_OTP_SECRET = 'kD4qeor_KehcHq6ObtYhUs4Th84VkCKrMeqx5lo4pNQ';
export const LOCAL_DRM_VENDOR = { comKeyId: '69e1e5d2-6b4e-4d3f-9f0a-3c2b1a09f8e7', comKey: 'c2VjcmV0LWNvbW11bmljYXRpb24ta2V5LWZvci10ZXN0cw==' } as const;
const LOCAL_DRM_KEKS = JSON.stringify([{ id: 'local-kek-a', key: 'wH8k2mZQ7rV4tY1uN6pL3sD9fG0hJ5kA2xC8vB4nM1o=' }]);
const LOCAL_MEDIA_TOKEN_KEYS = JSON.stringify([{ kid: 'local-media-a', secret: 'm4Xq0c7bP2lZk9Vt3sR8wYh1nJ6fG5dE0aQzL2xC7vB' }]);

export const LOCAL_S3 = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', bucket: 'irdnl-media', region: 'auto' } as const;

/**
 * The environment every component of a local stack is configured with. The edge
 * receives the same keys as Worker vars; the origin worker as process env.
 */
export function stackEnv(name: StackName): Record<string, string> {
  const p = stackPorts(name);
  return {
    ENVIRONMENT: name === 'dev' ? 'development' : name,
    LOG_LEVEL: name === 'test' ? 'warn' : 'info',
    CORS_ORIGINS: `http://localhost:${p.edge},http://127.0.0.1:${p.edge}`,
    DATABASE_URL: `postgres://${LOCAL_DB.user}:${LOCAL_DB.password}@127.0.0.1:${p.postgres}/${LOCAL_DB.database}`,
    NEON_FETCH_ENDPOINT: `http://127.0.0.1:${p.neon}/sql`,
    NEON_WS_PROXY: `127.0.0.1:${p.neon}/v2`,
    UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${p.upstash}`,
    UPSTASH_REDIS_REST_TOKEN: LOCAL_UPSTASH_TOKEN,
    // Tests assert RateLimit headers on fail-open routes: on a busy 2-core box
    // the production 100-150 ms budget is sometimes missed and the check is
    // (correctly) skipped. Tests wait longer; dev and bench keep production's.
    // The catalog cache's 150 ms Redis budget likewise (a missed one reads Postgres: right, but tests assert on the cache layer).
    ...(name === 'test' ? { RATE_LIMIT_FAIL_OPEN_TIMEOUT_MS: '2000', CATALOG_CACHE_TIMEOUT_MS: '2000' } : {}),
    REDIS_URL: `redis://127.0.0.1:${p.redis}`,
    S3_ENDPOINT: `http://127.0.0.1:${p.s3}`,
    S3_REGION: LOCAL_S3.region,
    S3_ACCESS_KEY_ID: LOCAL_S3.accessKeyId,
    S3_SECRET_ACCESS_KEY: LOCAL_S3.secretAccessKey,
    MEDIA_BUCKET: LOCAL_S3.bucket,
    WORKER_HEALTH_PORT: String(p.workerHealth),
    AUTH_SIGNING_KEYS: LOCAL_AUTH_SIGNING_KEYS,
    AUTH_OTP_SECRET: LOCAL_AUTH_OTP_SECRET,
    MEDIA_TOKEN_KEYS: LOCAL_MEDIA_TOKEN_KEYS,
    DRM_KEKS: LOCAL_DRM_KEKS,
    DRM_PROVIDER: 'axinom',
    AXINOM_COM_KEY_ID: LOCAL_DRM_VENDOR.comKeyId,
    AXINOM_COM_KEY: LOCAL_DRM_VENDOR.comKey,
    DRM_LICENSE_URL_WIDEVINE: `http://127.0.0.1:${p.drmVendor}/widevine/AcquireLicense`,
    DRM_LICENSE_URL_PLAYREADY: `http://127.0.0.1:${p.drmVendor}/playready/AcquireLicense`,
    DRM_LICENSE_URL_FAIRPLAY: `http://127.0.0.1:${p.drmVendor}/fairplay/AcquireLicense`,
    SMS_PROVIDER: 'kavenegar',
    KAVENEGAR_API_KEY: LOCAL_KAVENEGAR_API_KEY,
    KAVENEGAR_BASE_URL: `http://127.0.0.1:${p.kavenegar}`,
    EMAIL_PROVIDER: 'sendgrid',
    SENDGRID_API_KEY: LOCAL_SENDGRID_API_KEY,
    SENDGRID_BASE_URL: `http://127.0.0.1:${p.sendgrid}`,
    EMAIL_FROM: 'no-reply@irdnl.local',
  };
}
