// Seeds an account (and optionally a live subscription) for the device and
// profile tests; each test makes its own, so no test depends on another's rows.
import pg from 'pg';

export type TestTier = 'free' | 'basic' | 'standard' | 'premium';

let counter = 0;

export async function createAccount(client: pg.Client, opts: { tier?: TestTier; subscriptionStatus?: string; disabled?: boolean } = {}): Promise<string> {
  counter += 1;
  const phone = `+98912${String(Date.now() % 1e5).padStart(5, '0')}${String(counter % 100).padStart(2, '0')}`;
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO users (phone, phone_verified_at, disabled_at) VALUES ($1, now(), CASE WHEN $2 THEN now() END) RETURNING id`,
    [phone, opts.disabled ?? false],
  );
  const id = rows[0]!.id;
  if (opts.tier && opts.tier !== 'free') {
    const status = opts.subscriptionStatus ?? 'active';
    await client.query(
      `INSERT INTO subscriptions (user_id, tier, status, provider, current_period_start, current_period_end, canceled_at)
       VALUES ($1, $2, $3, 'manual', now() - interval '1 day', now() + interval '30 days', CASE WHEN $3 = 'canceled' THEN now() END)`,
      [id, opts.tier, status],
    );
  }
  return id;
}
