// Sign-in (and sign-up) with a one-time code sent by SMS or email. The first
// verified code for a phone or email creates the account. With the email
// channel a password may be set at the same time (sign-up with email +
// password): only on an account that has none yet.
import { setInitialPassword, upsertUserByVerifiedChannel } from '../../../../db/sql/users.ts';
import { createOtpStore } from '../../lib/auth/otp.ts';
import { hashPassword } from '../../lib/auth/password.ts';
import { ApiError } from '../../lib/errors.ts';
import type { AuthDeps } from './deps.ts';
import { issueSession, type DeviceInput, type SessionTokens } from './issue-session.ts';

export const INVALID_CODE_MESSAGE = 'Invalid or expired code';

export async function signInWithOtp(
  deps: AuthDeps,
  input: { channel: 'sms' | 'email'; recipient: string; code: string; device: DeviceInput; locale: 'fa' | 'en'; password?: string },
): Promise<SessionTokens> {
  const otp = createOtpStore(deps.redis, { secret: deps.auth.otpSecret, ttlSeconds: deps.auth.otpTtl });
  if (!(await otp.consume('sign_in', input.recipient, input.code))) throw new ApiError('UNAUTHORIZED', INVALID_CODE_MESSAGE);

  const [user] = await deps.db.run(upsertUserByVerifiedChannel(input.channel === 'sms' ? 'phone' : 'email', input.recipient, input.locale));
  if (!user) throw new Error('upsertUserByVerifiedChannel returned no row');
  if (user.disabledAt !== null) throw new ApiError('FORBIDDEN', 'This account is disabled');

  if (input.password !== undefined) {
    if (user.passwordHash !== null) {
      throw new ApiError('CONFLICT', 'This account already has a password: sign in with it, or reset it');
    }
    const [set] = await deps.db.run(setInitialPassword(user.id, await hashPassword(input.password)));
    if (!set) throw new ApiError('CONFLICT', 'This account already has a password: sign in with it, or reset it');
  }
  return issueSession(deps, user, input.device);
}
