-- Remote JSON-LD contexts fetched for callers, kept so that a restart does not need the network
-- again (a subscription made with a remote @context is rendered with it long after).
CREATE TABLE ctx_remote_contexts (
  url text PRIMARY KEY,
  document jsonb NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now()
);
