-- Buildings of the city's energy programme (municipal offices, schools, the KKU partnership site) and
-- what is installed in them: PV systems and grid meters, each linked to a device of the sensor registry
-- whose readings are cumulative energy counters in kWh (docs/modules/energy.md).
CREATE TABLE energy_buildings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name_th text NOT NULL CHECK (length(name_th) BETWEEN 1 AND 200),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  office_id uuid NOT NULL REFERENCES core_offices (id),
  location geometry(Point, 4326) NOT NULL,
  zone_code text,
  floor_area_m2 double precision NOT NULL CHECK (floor_area_m2 > 0 AND floor_area_m2 <= 10000000),
  kind text NOT NULL CHECK (kind IN ('municipal', 'school', 'university', 'health', 'other')),
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX energy_buildings_office_idx ON energy_buildings (office_id);

CREATE TABLE energy_installations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  building_id uuid NOT NULL REFERENCES energy_buildings (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('pv', 'meter')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- Peak power of a PV system; meters have none.
  kwp double precision CHECK ((kind = 'pv') = (kwp IS NOT NULL) AND (kwp IS NULL OR (kwp > 0 AND kwp <= 1000000))),
  installed_on date,
  -- One device feeds one installation; removing the device keeps the installation without data.
  device_id uuid UNIQUE REFERENCES dev_devices (id) ON DELETE SET NULL,
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX energy_installations_building_idx ON energy_installations (building_id);
