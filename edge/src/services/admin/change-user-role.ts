// Admin: change a user's role.
//
// Why the user's sessions are revoked: the role travels in the access token
// (`role` claim) and requireRole() trusts it for the token's lifetime (up to
// 15 minutes). Without revocation a demoted admin would keep admin powers
// until their token expires, and a promoted editor would wait for a refresh.
// Refresh reads the role from the database, but the deny list is keyed by
// session, so the only way to stop the old tokens now is to end the sessions:
// the user signs in again and gets tokens with the new role. A role change is
// rare enough that one extra sign-in is the right price.
import { changeUserRole as changeUserRoleSql, type RoleChangeRow, type UserRole } from '../../../../db/sql/users.ts';
import { markSessionsRevoked } from '../../lib/auth/revocation.ts';
import { ApiError } from '../../lib/errors.ts';
import type { AuthDeps } from '../auth/deps.ts';

export async function changeUserRole(
  deps: AuthDeps,
  input: { actorId: string; userId: string; role: UserRole; requestId: string | null },
): Promise<RoleChangeRow> {
  // An admin demoting themselves could leave no admin at all; another admin has to do it.
  if (input.actorId === input.userId) throw new ApiError('CONFLICT', 'Admins cannot change their own role', { details: { reason: 'own_role' } });
  const [row] = await deps.db.run(changeUserRoleSql(input));
  if (!row) throw new ApiError('NOT_FOUND', 'No such user');
  await markSessionsRevoked(deps.redis, row.sessionIds, deps.auth.accessTokenTtl);
  return row;
}
