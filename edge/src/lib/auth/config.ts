// Identity settings (tokens, OTP) and the notification senders, parsed from
// the bindings with zod like the other dependencies in env.ts: a broken value
// fails only the routes that need it, as CONFIG_INVALID naming the variable.
import { z } from 'zod';
import { jsonSetting } from '../json-setting.ts';

export const ACCESS_TOKEN_ALG = 'Ed25519';

const privateJwk = z
  .object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    kid: z.string().min(1).max(64),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'each key needs x: the 32-byte Ed25519 public key, base64url'),
    d: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'each key needs d: the 32-byte Ed25519 private key, base64url'),
    alg: z.enum(['Ed25519', 'EdDSA']).optional(),
  })
  .loose();
export type SigningJwk = z.infer<typeof privateJwk>;

const signingKeys = jsonSetting(
  'a JSON array of Ed25519 private JWKs, the first signs',
  z
    .array(privateJwk, { error: 'must be a JSON array of Ed25519 private JWKs with kid, x and d' })
    .min(1, 'must hold at least one key')
    .max(3, 'must hold at most 3 keys (current, previous, next)')
    .refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, 'every key needs a distinct kid'),
);

const seconds = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const authSchema = z.object({
  AUTH_SIGNING_KEYS: signingKeys,
  AUTH_OTP_SECRET: z
    .string({ error: 'is required: the HMAC key for stored OTP codes (32+ characters)' })
    .min(32, 'must be at least 32 characters (the HMAC key for stored OTP codes)'),
  AUTH_ISSUER: z.string().min(1).default('https://api.irdnl.example'),
  AUTH_AUDIENCE: z.string().min(1).default('irdnl-api'),
  ACCESS_TOKEN_TTL_SECONDS: seconds(300, 900, 600),
  REFRESH_TOKEN_TTL_SECONDS: seconds(3600, 90 * 86_400, 30 * 86_400),
  OTP_TTL_SECONDS: seconds(60, 600, 300),
  // How long one isolate trusts a "not revoked" answer (edge/src/lib/auth/revocation.ts); 0 asks Redis every time.
  AUTH_REVOCATION_CACHE_MS: z.coerce.number().int().min(0).max(5000).default(1000),
});

export interface AuthConfig {
  /** First = current signing key; all are accepted for verification. */
  signingKeys: SigningJwk[];
  /** The raw secret string: the key of the per-isolate imported-key cache. */
  signingKeysSource: string;
  otpSecret: string;
  issuer: string;
  audience: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  otpTtl: number;
  revocationCacheMs: number;
}

export function toAuthConfig(d: z.output<typeof authSchema>, raw: string): AuthConfig {
  return {
    signingKeys: d.AUTH_SIGNING_KEYS,
    signingKeysSource: raw,
    otpSecret: d.AUTH_OTP_SECRET,
    issuer: d.AUTH_ISSUER,
    audience: d.AUTH_AUDIENCE,
    accessTokenTtl: d.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtl: d.REFRESH_TOKEN_TTL_SECONDS,
    otpTtl: d.OTP_TTL_SECONDS,
    revocationCacheMs: d.AUTH_REVOCATION_CACHE_MS,
  };
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const notifySchema = z.object({
  SMS_PROVIDER: z.enum(['kavenegar'], { error: 'must be kavenegar' }).default('kavenegar'),
  KAVENEGAR_API_KEY: z.string({ error: 'is required: the Kavenegar API key' }).min(1, 'is required: the Kavenegar API key'),
  KAVENEGAR_BASE_URL: httpUrl.default('https://api.kavenegar.com'),
  /** The verify/lookup template registered in the Kavenegar panel, with one %token. */
  KAVENEGAR_OTP_TEMPLATE: z.string().min(1).default('irdnl-otp'),
  EMAIL_PROVIDER: z.enum(['sendgrid'], { error: 'must be sendgrid' }).default('sendgrid'),
  SENDGRID_API_KEY: z.string({ error: 'is required: the SendGrid API key' }).min(1, 'is required: the SendGrid API key'),
  SENDGRID_BASE_URL: httpUrl.default('https://api.sendgrid.com'),
  EMAIL_FROM: z.email({ error: 'must be the sender email address' }),
});

export interface NotifyConfig {
  sms: { provider: 'kavenegar'; apiKey: string; baseUrl: string; otpTemplate: string };
  email: { provider: 'sendgrid'; apiKey: string; baseUrl: string; from: string };
}

export function toNotifyConfig(d: z.output<typeof notifySchema>): NotifyConfig {
  return {
    sms: { provider: d.SMS_PROVIDER, apiKey: d.KAVENEGAR_API_KEY, baseUrl: d.KAVENEGAR_BASE_URL.replace(/\/+$/, ''), otpTemplate: d.KAVENEGAR_OTP_TEMPLATE },
    email: { provider: d.EMAIL_PROVIDER, apiKey: d.SENDGRID_API_KEY, baseUrl: d.SENDGRID_BASE_URL.replace(/\/+$/, ''), from: d.EMAIL_FROM },
  };
}
