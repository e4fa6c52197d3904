-- Link status, health, device tokens, the device event log and the gateways. Numbered with a gap so
-- that other devices migrations (rollups) can come first without renaming.

-- How often a device of this profile reports; a device may override it. Health is judged against it.
ALTER TABLE dev_profiles ADD COLUMN expected_interval_s integer NOT NULL DEFAULT 900
  CHECK (expected_interval_s BETWEEN 10 AND 604800);

ALTER TABLE dev_devices
  ADD COLUMN expected_interval_s integer CHECK (expected_interval_s BETWEEN 10 AND 604800),
  ADD COLUMN health text NOT NULL DEFAULT 'offline' CHECK (health IN ('online', 'late', 'offline')),
  ADD COLUMN health_changed_at timestamptz,
  -- From ChirpStack status events: the link margin (dB) and whether the device runs on external power.
  ADD COLUMN margin integer,
  ADD COLUMN external_power boolean,
  ADD COLUMN status_at timestamptz,
  ADD COLUMN joined_at timestamptz,
  ADD COLUMN dev_addr text,
  ADD COLUMN last_gateway_id text,
  -- A non-LoRa device's token for the HTTP bulk endpoint: only its SHA-256 is kept.
  ADD COLUMN token_hash text UNIQUE,
  ADD COLUMN token_issued_at timestamptz;
CREATE INDEX dev_devices_health_idx ON dev_devices (health);

-- What happened on a device's link (join, status), newest first per device.
CREATE TABLE dev_device_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  device_id uuid NOT NULL REFERENCES dev_devices (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('join', 'status')),
  at timestamptz NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL DEFAULT now(),
  -- A redelivered event is stored once.
  UNIQUE (device_id, kind, at)
);

-- LoRaWAN gateways as the uplinks name them in rxInfo.
CREATE TABLE dev_gateways (
  gateway_id text PRIMARY KEY CHECK (gateway_id ~ '^[0-9a-f]{16}$'),
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  rssi integer,
  snr real
);
