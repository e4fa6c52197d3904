-- NGSI-LD subscriptions (ETSI GS CIM 009, 5.2.12). The subscription is kept as the client sent it
-- (terms compacted with its @context, also kept); the columns the broker matches and reports on sit beside it.
CREATE TABLE ctx_subscriptions (
  tenant text NOT NULL DEFAULT '',
  id text NOT NULL,
  body jsonb NOT NULL,
  -- The @context the subscription was created with (a URL, an array or an object); NULL: the core context.
  context jsonb NULL,
  is_active boolean NOT NULL DEFAULT true,
  expires_at timestamptz NULL,
  -- Minimum seconds between two notifications.
  throttling double precision NULL,
  -- Periodic subscriptions (timeInterval, seconds) notify the matching entities every period instead.
  time_interval double precision NULL,
  -- When the last notification was queued (for throttling and timeInterval).
  last_queued_at timestamptz NULL,
  times_sent bigint NOT NULL DEFAULT 0,
  times_failed bigint NOT NULL DEFAULT 0,
  last_notification timestamptz NULL,
  last_success timestamptz NULL,
  last_failure timestamptz NULL,
  last_failure_reason text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, id)
);
-- Every entity change looks up its tenant's active subscriptions.
CREATE INDEX ctx_subscriptions_active ON ctx_subscriptions (tenant) WHERE is_active;
-- The periodic subscriptions, looked at every second.
CREATE INDEX ctx_subscriptions_periodic ON ctx_subscriptions (last_queued_at) WHERE is_active AND time_interval IS NOT NULL;
