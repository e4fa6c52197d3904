-- Delivery of alerts: escalation of unacknowledged alerts and outgoing (signed) webhooks.
ALTER TABLE alert_alerts ADD COLUMN escalated_at timestamptz NULL;
-- The escalation sweep looks only at raised, not yet escalated alerts.
CREATE INDEX alert_alerts_escalation_idx ON alert_alerts (raised_at) WHERE status = 'raised' AND escalated_at IS NULL;

CREATE TABLE alert_webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  -- Standard Webhooks secret (whsec_ + base64). Kept as is: it is needed to sign every delivery.
  secret text NOT NULL,
  -- Event types this endpoint wants (alert.raised, …); empty means all alert events.
  events text[] NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  created_by uuid NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per event and endpoint: the retry queue and the history staff see.
CREATE TABLE alert_webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  webhook_id uuid NOT NULL REFERENCES alert_webhooks (id) ON DELETE CASCADE,
  -- The outbox event id: the outbox delivers at least once, this keeps one delivery per event.
  event_id text NOT NULL,
  event_type text NOT NULL,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status integer NULL,
  last_error text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz NULL,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX alert_webhook_deliveries_due_idx ON alert_webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX alert_webhook_deliveries_webhook_idx ON alert_webhook_deliveries (webhook_id, created_at DESC);
