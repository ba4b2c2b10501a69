// Revokes a device of the user: the device and its sessions are revoked in
// Postgres in one statement (no refresh can slip in between), then the
// sessions go on the Redis deny list so their access tokens stop now rather
// than at expiry.
import { revokeDevice as revokeDeviceSql } from '../../../../db/sql/devices.ts';
import { CLOCK_SKEW_SECONDS } from '../../lib/auth/access-token.ts';
import { markSessionsRevoked } from '../../lib/auth/revocation.ts';
import { ApiError } from '../../lib/errors.ts';
import type { AuthDeps } from '../auth/deps.ts';

export async function revokeDevice(deps: AuthDeps, input: { userId: string; deviceId: string }): Promise<{ sessionIds: string[] }> {
  const recentSeconds = deps.auth.accessTokenTtl + CLOCK_SKEW_SECONDS;
  const [row] = await deps.db.run(revokeDeviceSql({ ...input, recentSeconds }));
  // Not theirs, missing, or revoked long ago: one answer, so ids of other accounts leak nothing.
  if (!row) throw new ApiError('NOT_FOUND', 'No such device');
  // If this write fails the request fails (5xx) with the device revoked; a
  // retry within the token lifetime finds the same sessions and sends them again.
  await markSessionsRevoked(deps.redis, row.sessionIds, deps.auth.accessTokenTtl);
  return { sessionIds: row.sessionIds };
}
