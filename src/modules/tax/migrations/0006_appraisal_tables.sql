-- The Treasury Department's appraisal (value of land per m² for an appraisal round, by parcel or by
-- zone and block) and its building-depreciation table (by building type and age), imported by staff.
-- A parcel or building without its own value is assessed from them.
CREATE TABLE tax_appraisals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The round's first and last tax years (B.E.), e.g. 2566–2569.
  first_year integer NOT NULL CHECK (first_year BETWEEN 2500 AND 2700),
  last_year integer NOT NULL CHECK (last_year BETWEEN first_year AND first_year + 8),
  -- Either one parcel (by deed) or a zone, optionally narrowed to a block of the Treasury's map.
  deed_kind text CHECK (deed_kind IN ('chanote', 'ns3k', 'ns3', 'other')),
  deed_no text CHECK (length(deed_no) BETWEEN 1 AND 50),
  zone text CHECK (length(zone) BETWEEN 1 AND 50),
  block text CHECK (length(block) BETWEEN 1 AND 50),
  value_per_m2 numeric(14, 2) NOT NULL CHECK (value_per_m2 >= 0),
  import_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((deed_kind IS NULL) = (deed_no IS NULL)),
  CHECK (deed_no IS NOT NULL OR zone IS NOT NULL),
  CHECK (block IS NULL OR zone IS NOT NULL)
);
CREATE UNIQUE INDEX tax_appraisals_key ON tax_appraisals
  (first_year, last_year, COALESCE(deed_kind, ''), COALESCE(deed_no, ''), COALESCE(zone, ''), COALESCE(block, ''));
CREATE INDEX tax_appraisals_deed_idx ON tax_appraisals (deed_kind, deed_no) WHERE deed_no IS NOT NULL;
CREATE INDEX tax_appraisals_zone_idx ON tax_appraisals (zone, block) WHERE deed_no IS NULL;

CREATE TABLE tax_depreciation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Matched with tax_buildings.kind.
  building_type text NOT NULL CHECK (length(building_type) BETWEEN 1 AND 100),
  -- The row applies from this age (full years) until the next row's age.
  age_from integer NOT NULL CHECK (age_from BETWEEN 0 AND 500),
  depreciation_percent numeric(5, 2) NOT NULL CHECK (depreciation_percent BETWEEN 0 AND 100),
  import_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (building_type, age_from)
);

-- A parcel says where it lies on the Treasury's appraisal map; its own value and a building's own
-- depreciation become optional (then the tables give them).
ALTER TABLE tax_parcels ADD COLUMN appraisal_zone text CHECK (length(appraisal_zone) BETWEEN 1 AND 50);
ALTER TABLE tax_parcels ADD COLUMN appraisal_block text CHECK (length(appraisal_block) BETWEEN 1 AND 50);
ALTER TABLE tax_parcels ALTER COLUMN value_per_m2 DROP NOT NULL;
ALTER TABLE tax_buildings ALTER COLUMN depreciation_percent DROP NOT NULL;

ALTER TABLE tax_imports DROP CONSTRAINT tax_imports_kind_check;
ALTER TABLE tax_imports ADD CONSTRAINT tax_imports_kind_check
  CHECK (kind IN ('parcels', 'buildings', 'signs', 'appraisals', 'depreciation'));
