// Refresh: trade a refresh token for a new access token and a new refresh
// token (rotation). Presenting an already-used token revokes the session.
import { rotateRefreshToken } from '../../../../db/sql/sessions.ts';
import { hashRefreshToken, newRefreshToken } from '../../lib/auth/refresh-token.ts';
import { markSessionsRevoked } from '../../lib/auth/revocation.ts';
import { ApiError } from '../../lib/errors.ts';
import type { AuthDeps } from './deps.ts';
import { tokensFor, type SessionTokens } from './issue-session.ts';

export const INVALID_REFRESH_MESSAGE = 'Invalid or expired refresh token';

export async function refreshSession(deps: AuthDeps, presented: string): Promise<SessionTokens> {
  const successor = newRefreshToken();
  const [row] = await deps.db.run(
    rotateRefreshToken({
      presentedHash: await hashRefreshToken(presented),
      successorId: crypto.randomUUID(),
      successorHash: await hashRefreshToken(successor),
    }),
  );
  if (!row || row.outcome === 'dead') throw new ApiError('UNAUTHORIZED', INVALID_REFRESH_MESSAGE);
  if (row.outcome === 'reused') {
    // The family's access tokens die with it, not only its refresh tokens.
    await markSessionsRevoked(deps.redis, [row.sessionId], deps.auth.accessTokenTtl);
    deps.logger.warn('refresh token reuse: session revoked', { sessionId: row.sessionId, userId: row.userId });
    throw new ApiError('UNAUTHORIZED', INVALID_REFRESH_MESSAGE);
  }
  return tokensFor(deps, { id: row.userId, role: row.role }, row, successor);
}
