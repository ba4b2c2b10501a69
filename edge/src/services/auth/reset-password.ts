// Password reset with an emailed code (purpose password_reset, so a sign-in
// code never resets a password). Success sets the new password and ends every
// session of the account. A wrong code and an unknown email answer the same.
import { resetPassword as resetPasswordSql } from '../../../../db/sql/users.ts';
import { markSessionsRevoked } from '../../lib/auth/revocation.ts';
import { createOtpStore } from '../../lib/auth/otp.ts';
import { hashPassword } from '../../lib/auth/password.ts';
import { ApiError } from '../../lib/errors.ts';
import type { AuthDeps } from './deps.ts';
import { INVALID_CODE_MESSAGE } from './sign-in-with-otp.ts';

export async function resetPassword(deps: AuthDeps, input: { email: string; code: string; newPassword: string }): Promise<void> {
  const otp = createOtpStore(deps.redis, { secret: deps.auth.otpSecret, ttlSeconds: deps.auth.otpTtl });
  // Hashed first so a wrong code costs as much as a right one.
  const hash = await hashPassword(input.newPassword);
  if (!(await otp.consume('password_reset', input.email, input.code))) throw new ApiError('UNAUTHORIZED', INVALID_CODE_MESSAGE);
  const [row] = await deps.db.run(resetPasswordSql(input.email, hash));
  if (!row) throw new ApiError('UNAUTHORIZED', INVALID_CODE_MESSAGE);
  await markSessionsRevoked(deps.redis, row.revokedSessionIds, deps.auth.accessTokenTtl);
}
