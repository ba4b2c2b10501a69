// Opens a session for a user who just proved who they are: registers the
// device (within the tier's device limit) and opens a refresh-token family on
// it in one transaction, then mints the first access token.
import { registerDevice, revokeDevice, type RegisterDeviceInput, type RegisterDeviceRow, type RevokedDeviceRow, type Tier } from '../../../../db/sql/devices.ts';
import { openSession, type OpenedSession } from '../../../../db/sql/sessions.ts';
import type { MaturityCap } from '../../../../db/sql/profiles.ts';
import type { UserRole } from '../../../../db/sql/users.ts';
import { signAccessToken } from '../../lib/auth/access-token.ts';
import { hashRefreshToken, newRefreshToken } from '../../lib/auth/refresh-token.ts';
import { markSessionsRevoked } from '../../lib/auth/revocation.ts';
import { ApiError } from '../../lib/errors.ts';
import type { AuthDeps } from './deps.ts';

export interface SessionTokens {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  /** When the session ends for good, however often it is refreshed. */
  refreshTokenExpiresAt: string;
  sessionId: string;
  user: { id: string; role: UserRole };
}

export type DeviceInput = Omit<RegisterDeviceInput, 'userId'> & {
  /** At the device limit: a device of the user to revoke in the same transaction, making room. */
  replaceDeviceId?: string;
};

export async function issueSession(deps: AuthDeps, user: { id: string; role: UserRole }, device: DeviceInput): Promise<SessionTokens> {
  const refreshToken = newRefreshToken();
  const { replaceDeviceId, ...register } = device;
  // The replaced device is revoked in the same transaction, before the limit
  // is counted under the account lock: two sign-ins replacing one device
  // cannot both take its slot (the second sees the limit again).
  const replace = replaceDeviceId ? [revokeDevice({ userId: user.id, deviceId: replaceDeviceId, recentSeconds: 0 })] : [];
  const results = await deps.db.batch([
    ...replace,
    ...registerDevice({ ...register, userId: user.id }),
    openSession({ userId: user.id, installId: device.installId, tokenHash: await hashRefreshToken(refreshToken), lifetimeSeconds: deps.auth.refreshTokenTtl }),
  ]);
  const [registered, opened] = results.slice(replace.length + 1) as [RegisterDeviceRow[], OpenedSession[]];
  const replaced = (replace.length ? results[0] : []) as RevokedDeviceRow[];
  // Like DELETE /devices/{id}: the replaced device's access tokens stop now.
  if (replaced[0]) await markSessionsRevoked(deps.redis, replaced[0].sessionIds, deps.auth.accessTokenTtl);
  const session = opened[0];
  // registerDevice reads the tier in force in the same transaction.
  if (session) return tokensFor(deps, user, { ...session, tier: registered[0]?.tier ?? 'free' }, refreshToken);
  if (registered[0]?.outcome === 'limit_reached') {
    const first = registered[0];
    throw new ApiError('CONFLICT', `Device limit reached: the ${first.tier} plan allows ${first.maxDevices}; sign in again with device.replaceDeviceId set to one of details.devices to use this device instead`, {
      details: {
        reason: 'device_limit',
        tier: first.tier,
        maxDevices: first.maxDevices,
        devices: registered.map((d) => ({ id: d.id, name: d.name, platform: d.platform, appVersion: d.appVersion, lastSeenAt: new Date(d.lastSeenAt).toISOString() })),
      },
    });
  }
  // No device and no family: the account was disabled between the credential check and now.
  throw new ApiError('FORBIDDEN', 'This account is disabled');
}

export async function tokensFor(
  deps: AuthDeps,
  user: { id: string; role: UserRole },
  session: { sessionId: string; expiresAt: Date; activeProfileId: string | null; maturityCap?: MaturityCap | null; tier: Tier },
  refreshToken: string,
): Promise<SessionTokens> {
  const access = await signAccessToken(deps.auth, {
    userId: user.id,
    sessionId: session.sessionId,
    role: user.role,
    profileId: session.activeProfileId,
    maturityCap: session.maturityCap ?? null,
    tier: session.tier,
  });
  return {
    accessToken: access.token,
    tokenType: 'Bearer',
    expiresIn: access.expiresIn,
    refreshToken,
    refreshTokenExpiresAt: new Date(session.expiresAt).toISOString(),
    sessionId: session.sessionId,
    user: { id: user.id, role: user.role },
  };
}
