-- The NGSI-LD notification queue: written in the transaction of the change a notification reports (so a
-- change answered 2xx has its notifications after a crash), delivered per subscription in id order by a
-- dispatcher of its own, so a slow or dead endpoint only holds back its own subscription's queue.
CREATE TABLE ctx_notifications (
  id bigserial PRIMARY KEY,
  tenant text NOT NULL,
  subscription_id text NOT NULL,
  notification_id text NOT NULL,
  data jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  -- When the row may be taken: now for a new one, later for a retry (back-off) or a delivery in progress (lease).
  available_at timestamptz NOT NULL DEFAULT now(),
  last_error text NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- The dispatcher takes the oldest row of each subscription (its queue's head).
CREATE INDEX ctx_notifications_queue ON ctx_notifications (tenant, subscription_id, id);
