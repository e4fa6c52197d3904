-- The city's sensor network: device profiles (how to decode a payload, what it measures) and devices.
CREATE TABLE dev_profiles (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
  -- {kind: 'cayenne-lpp'} | {kind: 'json', fields?} | {kind: 'bytes', fields}: data, never code.
  decoder jsonb NOT NULL CHECK (decoder ->> 'kind' IN ('cayenne-lpp', 'json', 'bytes')),
  -- [{field, quantity, unit}]: decoded field → measured quantity and its unit. Empty keeps every field as is.
  quantities jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(quantities) = 'array'),
  -- The NGSI-LD type of the entity a device of this profile updates (Device, AirQualityObserved…).
  entity_type text NOT NULL DEFAULT 'Device' CHECK (entity_type ~ '^[A-Za-z][A-Za-z0-9_]{0,99}$'),
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dev_devices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The LoRaWAN DevEUI: 16 hex digits, kept lower-case (ChirpStack's form).
  dev_eui text NOT NULL UNIQUE CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  profile_id uuid NOT NULL REFERENCES dev_profiles (id),
  office_id uuid NOT NULL REFERENCES core_offices (id),
  location geometry(Point, 4326) NOT NULL,
  zone_code text,
  installed_on date,
  tags text[] NOT NULL DEFAULT '{}',
  synthetic boolean NOT NULL DEFAULT false,
  last_seen_at timestamptz,
  last_f_cnt bigint,
  battery real,
  rssi integer,
  snr real,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dev_devices_profile_idx ON dev_devices (profile_id);
CREATE INDEX dev_devices_office_idx ON dev_devices (office_id);
CREATE INDEX dev_devices_location_idx ON dev_devices USING gist (location);
CREATE INDEX dev_devices_tags_idx ON dev_devices USING gin (tags);
