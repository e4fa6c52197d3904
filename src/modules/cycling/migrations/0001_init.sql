-- Cycle lanes of the bicycle city, as lines, imported from GeoJSON by staff. Bike counters are devices
-- of the sensor network (platform/devices) whose profile measures `bicycleCount`; they need no table here.
CREATE TABLE cycling_lanes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name_th text NOT NULL CHECK (length(name_th) BETWEEN 1 AND 200),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  -- protected: separated from traffic; painted: a marked lane on the road; shared: signed, shared with
  -- traffic; path: off-road (parks, the lake shore).
  kind text NOT NULL CHECK (kind IN ('protected', 'painted', 'shared', 'path')),
  geom geometry(MultiLineString, 4326) NOT NULL,
  -- On the spheroid, metres; kept so totals need no geometry work.
  length_m double precision NOT NULL CHECK (length_m >= 0),
  source text NULL CHECK (length(source) <= 300),
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cycling_lanes_geom_idx ON cycling_lanes USING gist (geom);
