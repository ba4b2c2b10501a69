// Kavenegar (https://kavenegar.com/rest.html). One-time codes go through
// verify/lookup with a template registered in the Kavenegar panel: Iranian
// operators only deliver OTP traffic sent that way (template + token), not as
// free text through sms/send.
import type { NotifyConfig } from '../auth/config.ts';
import { NOTIFY_TIMEOUT_MS, NotifyError, type SmsSender } from './notifier.ts';

export function createKavenegarSms(config: NotifyConfig['sms']): SmsSender {
  return {
    async sendOtp(to, code) {
      // The key is part of the path in Kavenegar's API (never logged: the
      // error below names only the method and status).
      const url = `${config.baseUrl}/v1/${encodeURIComponent(config.apiKey)}/verify/lookup.json`;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ receptor: to, token: code, template: config.otpTemplate }),
        signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS),
      });
      const body = (await res.json().catch(() => null)) as { return?: { status?: number; message?: string } } | null;
      const status = body?.return?.status ?? res.status;
      if (!res.ok || status !== 200) {
        throw new NotifyError(`kavenegar verify/lookup failed: HTTP ${res.status}, return.status ${status}`);
      }
    },
  };
}
