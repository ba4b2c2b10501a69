// Revoked sessions, for access tokens that are still inside their lifetime.
//
// Refresh is refused by the database (family revoked, user disabled), but an
// access token is self-contained for up to ACCESS_TOKEN_TTL_SECONDS. Logout,
// logout-everywhere, reuse detection and disabling an account therefore also
// write `auth:revoked-sid:<family id>` to Redis, and requireAuth() checks that
// one key per request: a single EXISTS (one Upstash round trip) instead of a
// Postgres query. The key only has to outlive the longest access token, so it
// expires after the token lifetime plus the allowed clock skew.
//
// If Redis cannot be reached the check fails closed (503): letting a disabled
// account's token through would be the worse failure.
import type { Redis } from '../redis.ts';
import { CLOCK_SKEW_SECONDS } from './access-token.ts';

const key = (sessionId: string) => `auth:revoked-sid:${sessionId}`;

export async function markSessionsRevoked(redis: Redis, sessionIds: readonly string[], accessTokenTtl: number): Promise<void> {
  if (sessionIds.length === 0) return;
  const pipeline = redis.pipeline();
  for (const sid of sessionIds) pipeline.set(key(sid), '1', { ex: accessTokenTtl + CLOCK_SKEW_SECONDS });
  await pipeline.exec();
}

export async function isSessionRevoked(redis: Redis, sessionId: string): Promise<boolean> {
  return (await redis.exists(key(sessionId))) > 0;
}
