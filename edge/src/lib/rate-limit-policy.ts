// Rate limits as data: one entry per route class. The README's "Rate limits"
// table is this file; change both together.
//
// Every class has a per-IP limit (what anonymous callers get, and what one
// address gets whoever is signed in) and, when it is used for signed-in
// callers, a per-user limit for each subscription tier. Auth classes are
// anonymous by nature (no user yet), so they have no per-user limits.
//
// Per-IP limits are generous on purpose: Iranian mobile carriers put many
// subscribers behind one CGNAT address, so a per-IP limit is a ceiling against
// floods, not a per-person quota. Per-person quotas are the per-user limits.

export const TIERS = ['free', 'basic', 'standard', 'premium'] as const;
export type Tier = (typeof TIERS)[number];

export type RateLimitClass = 'auth' | 'otp-send' | 'otp-verify' | 'password-reset' | 'session' | 'read' | 'write';

export interface RateLimitPolicy {
  /** Fixed window: the counter restarts every windowSeconds, so Retry-After is exact. */
  windowSeconds: number;
  perIp: number;
  /** Requests per window per signed-in user, by tier; null for anonymous-only classes. */
  perUser: Readonly<Record<Tier, number>> | null;
  /**
   * What happens when Redis cannot answer within timeoutMs (or errors):
   * 'closed' refuses with 503 UNAVAILABLE (the routes that guard credentials
   * and cost money per SMS), 'open' lets the request through and logs a warning
   * (reads must not go down with the limiter).
   */
  onRedisFailure: 'closed' | 'open';
  timeoutMs: number;
}

const sameForAllTiers = (n: number): Record<Tier, number> => ({ free: n, basic: n, standard: n, premium: n });

export const RATE_LIMITS: Readonly<Record<RateLimitClass, RateLimitPolicy>> = {
  /** Sign-in and sign-up with a password. */
  auth: { windowSeconds: 15 * 60, perIp: 30, perUser: null, onRedisFailure: 'closed', timeoutMs: 1000 },
  /** Sending an SMS or email code: each one costs money and can be used to spam a number. */
  'otp-send': { windowSeconds: 15 * 60, perIp: 10, perUser: null, onRedisFailure: 'closed', timeoutMs: 1000 },
  /** Checking a code (each code also burns after 5 wrong tries; this limits guessing across codes). */
  'otp-verify': { windowSeconds: 15 * 60, perIp: 30, perUser: null, onRedisFailure: 'closed', timeoutMs: 1000 },
  /** Requesting and completing a password reset. */
  'password-reset': { windowSeconds: 60 * 60, perIp: 10, perUser: null, onRedisFailure: 'closed', timeoutMs: 1000 },
  /** Refresh and sign-out: the refresh token itself is the guard (256 random bits, single use). */
  session: { windowSeconds: 60, perIp: 120, perUser: sameForAllTiers(20), onRedisFailure: 'open', timeoutMs: 150 },
  /** Catalog-style reads: browse, search, details. */
  read: {
    windowSeconds: 60,
    perIp: 600,
    perUser: { free: 120, basic: 240, standard: 360, premium: 600 },
    onRedisFailure: 'open',
    timeoutMs: 100,
  },
  /** A signed-in user's own writes: profiles, devices, watchlist, progress. */
  write: {
    windowSeconds: 60,
    perIp: 120,
    perUser: { free: 30, basic: 60, standard: 90, premium: 120 },
    onRedisFailure: 'open',
    timeoutMs: 150,
  },
};

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}
