-- Subscriptions, payment-provider webhooks and invoices.
--
-- A user without a live subscription is on the 'free' tier. Billing rows are
-- financial records: deleting a user who has any is refused (disable the
-- account instead), hence ON DELETE RESTRICT.

CREATE TABLE subscriptions (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id                  uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  tier                     text NOT NULL REFERENCES subscription_tiers (tier),
  status                   text NOT NULL CHECK (status IN ('incomplete', 'trialing', 'active', 'past_due', 'canceled', 'expired')),
  provider                 text NOT NULL CHECK (provider IN ('manual', 'stripe', 'zarinpal')),
  provider_customer_id     text CHECK (length(provider_customer_id) BETWEEN 1 AND 255),
  provider_subscription_id text CHECK (length(provider_subscription_id) BETWEEN 1 AND 255),
  current_period_start     timestamptz,
  current_period_end       timestamptz,
  cancel_at_period_end     boolean NOT NULL DEFAULT false,
  canceled_at              timestamptz,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  -- Webhooks find their subscription by the provider's id.
  CONSTRAINT subscriptions_provider_id_unique UNIQUE (provider, provider_subscription_id),
  CONSTRAINT subscriptions_provider_needs_id CHECK (provider = 'manual' OR provider_subscription_id IS NOT NULL),
  CONSTRAINT subscriptions_live_has_period_end CHECK (status NOT IN ('trialing', 'active', 'past_due') OR current_period_end IS NOT NULL),
  CONSTRAINT subscriptions_period_order CHECK (current_period_start IS NULL OR current_period_end > current_period_start),
  CONSTRAINT subscriptions_canceled_has_time CHECK (status <> 'canceled' OR canceled_at IS NOT NULL)
);
CREATE TRIGGER subscriptions_updated_at BEFORE UPDATE ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- At most one live subscription per user: its tier decides the user's limits.
CREATE UNIQUE INDEX subscriptions_one_live_per_user ON subscriptions (user_id)
  WHERE status IN ('trialing', 'active', 'past_due');
CREATE INDEX subscriptions_by_user_idx ON subscriptions (user_id, created_at DESC);
-- The expiry sweep: live subscriptions whose period has ended.
CREATE INDEX subscriptions_period_end_idx ON subscriptions (current_period_end)
  WHERE status IN ('trialing', 'active', 'past_due');
CREATE INDEX subscriptions_provider_customer_idx ON subscriptions (provider, provider_customer_id)
  WHERE provider_customer_id IS NOT NULL;

-- Every webhook delivery is stored before it is processed. The unique
-- (provider, provider_event_id) makes delivery idempotent: a redelivered event
-- hits ON CONFLICT DO NOTHING and is acknowledged without running twice.
CREATE TABLE payment_events (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider          text NOT NULL CHECK (provider IN ('manual', 'stripe', 'zarinpal')),
  provider_event_id text NOT NULL CHECK (length(provider_event_id) BETWEEN 1 AND 255),
  type              text NOT NULL CHECK (length(type) BETWEEN 1 AND 200),
  payload           jsonb NOT NULL,
  -- Resolved while processing; kept when the row they point to goes away.
  user_id           uuid REFERENCES users (id) ON DELETE SET NULL,
  subscription_id   uuid REFERENCES subscriptions (id) ON DELETE SET NULL,
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  processing_error  text CHECK (length(processing_error) <= 2000),
  received_at       timestamptz NOT NULL DEFAULT now(),
  processed_at      timestamptz,
  CONSTRAINT payment_events_provider_event_unique UNIQUE (provider, provider_event_id)
);
-- The retry sweep for events whose processing failed or never ran.
CREATE INDEX payment_events_unprocessed_idx ON payment_events (received_at) WHERE processed_at IS NULL;
CREATE INDEX payment_events_by_subscription_idx ON payment_events (subscription_id) WHERE subscription_id IS NOT NULL;
CREATE INDEX payment_events_by_user_idx ON payment_events (user_id) WHERE user_id IS NOT NULL;

-- Amounts in the currency's minor unit as integers (IRR has none: rials).
CREATE TABLE invoices (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id             uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  subscription_id     uuid REFERENCES subscriptions (id) ON DELETE RESTRICT,
  tier                text REFERENCES subscription_tiers (tier),
  provider            text NOT NULL CHECK (provider IN ('manual', 'stripe', 'zarinpal')),
  provider_invoice_id text CHECK (length(provider_invoice_id) BETWEEN 1 AND 255),
  status              text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible', 'refunded')),
  currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount_due          bigint NOT NULL CHECK (amount_due >= 0),
  amount_paid         bigint NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
  period_start        timestamptz,
  period_end          timestamptz,
  issued_at           timestamptz,
  paid_at             timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT invoices_provider_id_unique UNIQUE (provider, provider_invoice_id),
  CONSTRAINT invoices_paid_has_time CHECK (status NOT IN ('paid', 'refunded') OR paid_at IS NOT NULL),
  CONSTRAINT invoices_period_order CHECK (period_start IS NULL OR period_end > period_start)
);
CREATE TRIGGER invoices_updated_at BEFORE UPDATE ON invoices
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
-- "My invoices", newest first with a (created_at, id) cursor.
CREATE INDEX invoices_by_user_idx ON invoices (user_id, created_at DESC, id DESC);
CREATE INDEX invoices_by_subscription_idx ON invoices (subscription_id) WHERE subscription_id IS NOT NULL;
