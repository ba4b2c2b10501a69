// SendGrid v3 Mail Send (POST /v3/mail/send): 202 Accepted with an empty body
// on success, { errors: [{ message, field }] } otherwise.
import type { NotifyConfig } from '../auth/config.ts';
import { NOTIFY_TIMEOUT_MS, NotifyError, type EmailSender } from './notifier.ts';

export function createSendGridEmail(config: NotifyConfig['email']): EmailSender {
  return {
    async send(message) {
      const res = await fetch(`${config.baseUrl}/v3/mail/send`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${config.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          personalizations: [{ to: [{ email: message.to }] }],
          from: { email: config.from, name: 'irdnl' },
          subject: message.subject,
          content: [{ type: 'text/plain', value: message.text }],
          // One-time codes must not be rewritten into tracked links.
          tracking_settings: { click_tracking: { enable: false }, open_tracking: { enable: false } },
        }),
        signal: AbortSignal.timeout(NOTIFY_TIMEOUT_MS),
      });
      if (res.status !== 202) {
        const body = (await res.json().catch(() => null)) as { errors?: { field?: string | null }[] } | null;
        const fields = (body?.errors ?? []).map((e) => e.field).filter(Boolean).join(', ');
        throw new NotifyError(`sendgrid mail/send failed: HTTP ${res.status}${fields ? ` (fields: ${fields})` : ''}`);
      }
    },
  };
}
