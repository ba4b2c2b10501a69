// Sends a one-time code. The answer never depends on whether an account
// exists: sign-in codes go to anyone (the first verified code creates the
// account), and a password-reset code is issued either way but only mailed
// when an enabled account with that email exists, after the response.
import { findCredentialsByEmail } from '../../../../db/sql/users.ts';
import { createOtpStore, type OtpPurpose } from '../../lib/auth/otp.ts';
import { ApiError } from '../../lib/errors.ts';
import { createNotifier } from '../../lib/notify/notifier.ts';
import type { NotifyDeps } from './deps.ts';

export type OtpChannel = 'sms' | 'email';

export interface SendOtpInput {
  channel: OtpChannel;
  /** Normalized: E.164 phone or lower-cased email. */
  recipient: string;
  purpose: OtpPurpose;
  ip: string;
  locale: 'fa' | 'en';
}

export async function sendOtp(deps: NotifyDeps, input: SendOtpInput): Promise<{ expiresInSeconds: number }> {
  const otp = createOtpStore(deps.redis, { secret: deps.auth.otpSecret, ttlSeconds: deps.auth.otpTtl });
  const wait = await otp.throttleSend(input.recipient, input.ip);
  if (wait > 0) {
    throw new ApiError('RATE_LIMITED', `Too many codes requested; try again in ${wait} seconds`, {
      headers: { 'Retry-After': String(wait) },
      details: { retryAfterSeconds: wait },
    });
  }
  let deliver = true;
  if (input.purpose === 'password_reset') {
    const [account] = await deps.db.run(findCredentialsByEmail(input.recipient));
    deliver = account !== undefined && account.disabledAt === null;
  }
  const code = await otp.issue(input.purpose, input.recipient);
  if (deliver) {
    const notifier = createNotifier(deps.notify);
    const work = (input.channel === 'sms'
      ? notifier.sms.sendOtp(input.recipient, code)
      : notifier.email.send({ to: input.recipient, ...emailText(input.purpose, code, input.locale, deps.auth.otpTtl) })
    ).catch((err: unknown) => deps.logger.error('otp delivery failed', { channel: input.channel, purpose: input.purpose, error: err }));
    await deps.background(work);
  }
  return { expiresInSeconds: deps.auth.otpTtl };
}

function emailText(purpose: OtpPurpose, code: string, locale: 'fa' | 'en', ttl: number): { subject: string; text: string } {
  const minutes = Math.ceil(ttl / 60);
  if (locale === 'fa') {
    return purpose === 'password_reset'
      ? { subject: 'بازیابی رمز عبور irdnl', text: `کد بازیابی رمز عبور شما: ${code}\nاین کد تا ${minutes} دقیقه معتبر است.` }
      : { subject: 'کد ورود irdnl', text: `کد ورود شما: ${code}\nاین کد تا ${minutes} دقیقه معتبر است.` };
  }
  return purpose === 'password_reset'
    ? { subject: 'Reset your irdnl password', text: `Your password reset code is ${code}. It expires in ${minutes} minutes.` }
    : { subject: 'Your irdnl sign-in code', text: `Your sign-in code is ${code}. It expires in ${minutes} minutes.` };
}
