-- Integrators (apps, chat bots, other cities' systems) that file requests through Open311 with an API key.
CREATE TABLE complaints_integrators (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- SHA-256 of the key, hex; the key itself is shown once, when staff issue it.
  key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  active boolean NOT NULL DEFAULT true,
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE complaints_requests
  ADD CONSTRAINT complaints_requests_integrator_fkey FOREIGN KEY (integrator_id) REFERENCES complaints_integrators (id);
