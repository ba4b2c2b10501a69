// What the fake SaaS servers "sent", kept in memory per recipient so the dev
// stack and the tests can read the last messages (codes) without a phone or a
// mailbox. Bounded: a long dev session never grows it without limit.

const PER_RECIPIENT = 20;
const MAX_RECIPIENTS = 10_000;

export interface OutboxMessage {
  /** E.164 phone (SMS) or lower-cased email address. */
  to: string;
  /** The whole text as the vendor received it (SMS text or email body). */
  body: string;
  /** Kavenegar verify/lookup token or the like: the code itself, when there is one. */
  token?: string;
  subject?: string;
  template?: string;
  sentAt: string;
}

export class Outbox {
  private readonly byRecipient = new Map<string, OutboxMessage[]>();

  add(message: Omit<OutboxMessage, 'sentAt'>): OutboxMessage {
    const full = { ...message, sentAt: new Date().toISOString() };
    const list = this.byRecipient.get(full.to) ?? [];
    list.push(full);
    if (list.length > PER_RECIPIENT) list.shift();
    this.byRecipient.delete(full.to); // re-insert: the Map's order is the eviction order
    this.byRecipient.set(full.to, list);
    if (this.byRecipient.size > MAX_RECIPIENTS) this.byRecipient.delete(this.byRecipient.keys().next().value!);
    return full;
  }

  /** Newest first. */
  last(to: string, limit = 5): OutboxMessage[] {
    return [...(this.byRecipient.get(to) ?? [])].reverse().slice(0, limit);
  }
}
