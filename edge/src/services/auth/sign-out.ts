// Logout (this session) and logout everywhere (every session of the user).
// The families are revoked in Postgres (no more refreshes) and their ids put
// on the Redis deny list (their access tokens stop at once).
import { revokeAllSessions, revokeSession } from '../../../../db/sql/sessions.ts';
import { markSessionsRevoked } from '../../lib/auth/revocation.ts';
import type { AuthDeps } from './deps.ts';

export async function signOut(deps: AuthDeps, userId: string, sessionId: string): Promise<void> {
  await deps.db.run(revokeSession(userId, sessionId));
  // Listed even when the family was already revoked: the token in hand is
  // still within its lifetime.
  await markSessionsRevoked(deps.redis, [sessionId], deps.auth.accessTokenTtl);
}

export async function signOutEverywhere(deps: AuthDeps, userId: string, currentSessionId: string): Promise<{ revoked: number }> {
  const rows = await deps.db.run(revokeAllSessions(userId));
  const ids = new Set([...rows.map((r) => r.id), currentSessionId]);
  await markSessionsRevoked(deps.redis, [...ids], deps.auth.accessTokenTtl);
  return { revoked: rows.length };
}
