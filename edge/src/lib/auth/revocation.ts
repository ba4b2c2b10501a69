// Revoked sessions, for access tokens that are still inside their lifetime.
//
// Refresh is refused by the database (family revoked, user disabled), but an
// access token is self-contained for up to ACCESS_TOKEN_TTL_SECONDS. Logout,
// logout-everywhere, reuse detection and disabling an account therefore also
// write `auth:revoked-sid:<family id>` to Redis, and requireAuth() checks that
// one key. The key only has to outlive the longest access token, so it expires
// after the token lifetime plus the allowed clock skew.
//
// Per-isolate memo: asking Redis on every request cost about 35% of an
// authenticated route's throughput (bench/auth.ts). So each isolate keeps
//  - "not revoked" for AUTH_REVOCATION_CACHE_MS (default 1 s): a revocation
//    made elsewhere reaches this isolate at most that much later;
//  - "revoked" until the token lifetime is over (revocation is final);
//  - every session it revokes itself, at once, before Redis is even written,
//    so the isolate that signs you out never lets the old token through.
// Safe as module state: it holds only session ids and booleans derived from
// Redis, no request objects, and is bounded in size.
//
// If Redis cannot be reached the check fails closed (503): letting a disabled
// account's token through would be the worse failure.
import type { Redis } from '../redis.ts';
import { CLOCK_SKEW_SECONDS } from './access-token.ts';

const key = (sessionId: string) => `auth:revoked-sid:${sessionId}`;

const MAX_ENTRIES = 10_000;
const memo = new Map<string, { revoked: boolean; until: number }>();

function remember(sessionId: string, revoked: boolean, forMs: number): void {
  memo.delete(sessionId);
  if (memo.size >= MAX_ENTRIES) memo.delete(memo.keys().next().value!);
  memo.set(sessionId, { revoked, until: Date.now() + forMs });
}

export async function markSessionsRevoked(redis: Redis, sessionIds: readonly string[], accessTokenTtl: number): Promise<void> {
  if (sessionIds.length === 0) return;
  const ttl = accessTokenTtl + CLOCK_SKEW_SECONDS;
  for (const sid of sessionIds) remember(sid, true, ttl * 1000);
  const pipeline = redis.pipeline();
  for (const sid of sessionIds) pipeline.set(key(sid), '1', { ex: ttl });
  await pipeline.exec();
}

/** `cacheMs`: how long a "not revoked" answer may be reused by this isolate (0: never). */
export async function isSessionRevoked(redis: Redis, sessionId: string, cacheMs: number): Promise<boolean> {
  const known = memo.get(sessionId);
  if (known && known.until > Date.now() && (known.revoked || cacheMs > 0)) return known.revoked;
  const revoked = (await redis.exists(key(sessionId))) > 0;
  // A revoked answer is kept for the longest a token can live (15 min + skew).
  if (revoked) remember(sessionId, true, (900 + CLOCK_SKEW_SECONDS) * 1000);
  else if (cacheMs > 0) remember(sessionId, false, cacheMs);
  return revoked;
}
