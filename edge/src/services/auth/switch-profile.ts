// Switches the active viewer profile of the current session and mints an
// access token carrying it (`pid`). The profile is stored on the session, so
// every later refresh keeps it.
import { setActiveProfile } from '../../../../db/sql/sessions.ts';
import { signAccessToken } from '../../lib/auth/access-token.ts';
import { ApiError } from '../../lib/errors.ts';
import type { AuthDeps } from './deps.ts';

export async function switchProfile(
  deps: AuthDeps,
  input: { userId: string; sessionId: string; profileId: string | null },
): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number; profileId: string | null }> {
  const [row] = await deps.db.run(setActiveProfile(input));
  // Another user's profile, a deleted one, or a session that just ended: all look the same.
  if (!row) throw new ApiError('NOT_FOUND', 'No such profile');
  const access = await signAccessToken(deps.auth, { userId: input.userId, sessionId: row.sessionId, role: row.role, profileId: row.activeProfileId, maturityCap: row.maturityCap, tier: row.tier });
  return { accessToken: access.token, tokenType: 'Bearer', expiresIn: access.expiresIn, profileId: row.activeProfileId };
}
