// Admin: disable an account. Its families are revoked in the same statement
// and put on the deny list, so its live access tokens stop at once too.
import { disableUser as disableUserSql } from '../../../../db/sql/users.ts';
import { CLOCK_SKEW_SECONDS } from '../../lib/auth/access-token.ts';
import { markSessionsRevoked } from '../../lib/auth/revocation.ts';
import { ApiError } from '../../lib/errors.ts';
import type { AuthDeps } from './deps.ts';

export async function disableUser(deps: AuthDeps, userId: string): Promise<void> {
  const [row] = await deps.db.run(disableUserSql(userId, deps.auth.accessTokenTtl + CLOCK_SKEW_SECONDS));
  if (!row) throw new ApiError('NOT_FOUND', 'No such user');
  // If this write fails the request fails (5xx) and a retry lists the same
  // families again (recently revoked ones included).
  await markSessionsRevoked(deps.redis, row.sessionIds, deps.auth.accessTokenTtl);
}
