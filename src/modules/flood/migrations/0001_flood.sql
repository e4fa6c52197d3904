-- Flood warning: stations (a device that measures water level or rainfall, with its warning levels)
-- and shelters / evacuation points. Readings stay in the devices' table; nothing is copied here.
CREATE TABLE flood_stations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  device_id uuid NOT NULL UNIQUE REFERENCES dev_devices (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('water_level', 'rainfall')),
  -- The reading quantity the station follows (waterLevel in m, rainfall in mm per reading).
  quantity text NOT NULL CHECK (quantity ~ '^[A-Za-z][A-Za-z0-9_]{0,63}$'),
  name_th text NOT NULL CHECK (length(name_th) BETWEEN 1 AND 200),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  -- What the levels are measured from (e.g. the gauge zero); water levels are metres above it.
  datum text NOT NULL DEFAULT 'gauge zero' CHECK (length(datum) BETWEEN 1 AND 200),
  -- Where each status begins: metres above the datum for water level, mm in 24 hours for rainfall.
  watch double precision NOT NULL,
  warning double precision NOT NULL,
  critical double precision NOT NULL,
  bank_full double precision,
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (watch < warning AND warning < critical)
);

CREATE TABLE flood_shelters (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('shelter', 'evacuation_point')),
  name_th text NOT NULL CHECK (length(name_th) BETWEEN 1 AND 200),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  location geometry(Point, 4326) NOT NULL,
  zone_code text,
  capacity integer NOT NULL CHECK (capacity BETWEEN 0 AND 100000),
  facilities text[] NOT NULL DEFAULT '{}',
  -- A public contact of the place (an office phone), never a person's own number.
  contact text CHECK (length(contact) <= 200),
  office_id uuid NOT NULL REFERENCES core_offices (id),
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX flood_shelters_location_idx ON flood_shelters USING gist (location);
CREATE UNIQUE INDEX flood_shelters_name_idx ON flood_shelters (name_en);
