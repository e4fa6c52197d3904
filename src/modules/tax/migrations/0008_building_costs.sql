-- The Treasury Department's building appraisal for a round: the cost of building per m² by building
-- type (the Treasury's own code, where the table gives one, is kept to be named in the working). A
-- building without its own cost per m² is assessed from the row of its kind for the round covering
-- the tax year.
CREATE TABLE tax_building_costs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  first_year integer NOT NULL CHECK (first_year BETWEEN 2500 AND 2700),
  last_year integer NOT NULL CHECK (last_year BETWEEN first_year AND first_year + 8),
  -- Matched with tax_buildings.kind.
  building_type text NOT NULL CHECK (length(building_type) BETWEEN 1 AND 100),
  code text CHECK (length(code) BETWEEN 1 AND 20),
  cost_per_m2 numeric(12, 2) NOT NULL CHECK (cost_per_m2 >= 0),
  import_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (first_year, last_year, building_type)
);
CREATE INDEX tax_building_costs_type_idx ON tax_building_costs (building_type, first_year);

ALTER TABLE tax_buildings ALTER COLUMN cost_per_m2 DROP NOT NULL;

ALTER TABLE tax_imports DROP CONSTRAINT tax_imports_kind_check;
ALTER TABLE tax_imports ADD CONSTRAINT tax_imports_kind_check
  CHECK (kind IN ('parcels', 'buildings', 'signs', 'appraisals', 'depreciation', 'building-costs'));
