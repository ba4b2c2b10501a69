// Outgoing messages to people: SMS and email. The vendors (Kavenegar,
// SendGrid) are reached with plain fetch over their documented HTTP APIs (they
// have no Workers SDK); locally the same code talks to the fake servers in
// scripts/stack, which speak those APIs.
import type { NotifyConfig } from '../auth/config.ts';
import { createSendGridEmail } from './email-sendgrid.ts';
import { createKavenegarSms } from './sms-kavenegar.ts';

export interface SmsSender {
  /** Sends a one-time code to an E.164 phone number. */
  sendOtp(to: string, code: string): Promise<void>;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

export interface Notifier {
  sms: SmsSender;
  email: EmailSender;
}

/** A vendor refused or failed a send; the message names the vendor and status, never the recipient. */
export class NotifyError extends Error {
  override readonly name = 'NotifyError';
}

/** Vendor calls give up after this long: a hung SMS gateway must not hold a request. */
export const NOTIFY_TIMEOUT_MS = 5_000;

export function createNotifier(config: NotifyConfig): Notifier {
  return { sms: createKavenegarSms(config.sms), email: createSendGridEmail(config.email) };
}
