-- Domain events written in the same transaction as the change they announce, delivered after.
CREATE TABLE core_outbox (
  id bigserial PRIMARY KEY,
  type text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX core_outbox_pending_idx ON core_outbox (available_at, id) WHERE delivered_at IS NULL;
