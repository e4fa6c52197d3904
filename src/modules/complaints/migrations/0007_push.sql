-- Web push: browsers that follow a complaint (its reporter's phone, or anyone who has the reference,
-- as the status page is open to them) and are told of each public change.

-- Personal data: an endpoint identifies one browser on one device. Never shown, never published;
-- a subscription made while signed in goes with the account.
CREATE TABLE complaints_push_subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES complaints_requests (id) ON DELETE CASCADE,
  endpoint text NOT NULL CHECK (length(endpoint) BETWEEN 10 AND 2000),
  p256dh text NOT NULL CHECK (length(p256dh) BETWEEN 86 AND 88),
  auth text NOT NULL CHECK (length(auth) BETWEEN 22 AND 24),
  lang text NOT NULL DEFAULT 'th' CHECK (lang IN ('th', 'en')),
  user_id uuid REFERENCES core_users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (request_id, endpoint)
);
CREATE INDEX complaints_push_subscriptions_user_idx ON complaints_push_subscriptions (user_id)
  WHERE user_id IS NOT NULL;

-- One row per complaint event and subscription that was pushed: an outbox redelivery (another
-- subscriber failed, or a push service was briefly down) sends nothing twice.
CREATE TABLE complaints_push_sent (
  event_id bigint NOT NULL REFERENCES complaints_events (id) ON DELETE CASCADE,
  subscription_id uuid NOT NULL REFERENCES complaints_push_subscriptions (id) ON DELETE CASCADE,
  status integer NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, subscription_id)
);
