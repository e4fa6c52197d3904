-- The rates of each tax year as data (issue 7): the ordinance's land and building bands, the signboard
-- rates, the late rules and the instalment rule, edited by finance staff (rate-years.ts checks them
-- against the law). A year with bills is frozen by the API, not here, so a correction by hand stays possible.
-- The JSON keys are the API's (camelCase), so a record travels to and from the screen unchanged.
CREATE TABLE tax_rate_years (
  tax_year integer PRIMARY KEY CHECK (tax_year BETWEEN 2560 AND 2700),
  land_building jsonb NOT NULL CHECK (jsonb_typeof(land_building) = 'object'),
  sign jsonb NOT NULL CHECK (jsonb_typeof(sign) = 'object'),
  late jsonb NOT NULL CHECK (jsonb_typeof(late) = 'object'),
  instalments jsonb NOT NULL CHECK (jsonb_typeof(instalments) = 'object'),
  -- A reduction of the land and building tax decreed for the year, in percent of the tax.
  reduction_percent numeric(6, 3) NOT NULL DEFAULT 0 CHECK (reduction_percent BETWEEN 0 AND 100),
  -- The ordinance or decree the record copies (title, number, date), for the reader checking it.
  source text NOT NULL DEFAULT '' CHECK (length(source) <= 1000),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES core_users (id) ON DELETE SET NULL,
  updated_by_label text
);

-- 2569 as rates.ts held it until now (the Royal Decree's bands for the Land and Building Tax Act
-- B.E. 2562, the signboard rates of the Ministerial Regulation B.E. 2563), so a fresh database, the
-- tests and the benchmark assess 2569 as before. rate-years.test.ts checks this row equals rates.ts.
INSERT INTO tax_rate_years (tax_year, land_building, sign, late, instalments, reduction_percent, source, updated_by_label)
VALUES (
  2569,
  '{
    "agriculture": [
      {"fromBaht": 0, "ratePercent": 0.01},
      {"fromBaht": 75000000, "ratePercent": 0.03},
      {"fromBaht": 100000000, "ratePercent": 0.05},
      {"fromBaht": 500000000, "ratePercent": 0.07},
      {"fromBaht": 1000000000, "ratePercent": 0.1}
    ],
    "residentialMainHome": [
      {"fromBaht": 0, "ratePercent": 0},
      {"fromBaht": 50000000, "ratePercent": 0.03},
      {"fromBaht": 75000000, "ratePercent": 0.05},
      {"fromBaht": 100000000, "ratePercent": 0.1}
    ],
    "residentialOther": [
      {"fromBaht": 0, "ratePercent": 0.02},
      {"fromBaht": 50000000, "ratePercent": 0.03},
      {"fromBaht": 75000000, "ratePercent": 0.05},
      {"fromBaht": 100000000, "ratePercent": 0.1}
    ],
    "other": [
      {"fromBaht": 0, "ratePercent": 0.3},
      {"fromBaht": 50000000, "ratePercent": 0.4},
      {"fromBaht": 200000000, "ratePercent": 0.5},
      {"fromBaht": 1000000000, "ratePercent": 0.6},
      {"fromBaht": 5000000000, "ratePercent": 0.7}
    ],
    "vacant": [
      {"fromBaht": 0, "ratePercent": 0.3},
      {"fromBaht": 50000000, "ratePercent": 0.4},
      {"fromBaht": 200000000, "ratePercent": 0.5},
      {"fromBaht": 1000000000, "ratePercent": 0.6},
      {"fromBaht": 5000000000, "ratePercent": 0.7}
    ],
    "vacantSurchargePercentPer3Years": 0.3,
    "vacantMaxPercent": 3,
    "exemptions": {
      "mainHomeOwnerOfLandAndBuilding": 50000000,
      "mainHomeBuildingOnly": 10000000,
      "agricultureIndividual": 50000000
    }
  }',
  '{
    "per500cm2": {
      "1": {"moving": 10, "static": 5},
      "2": {"moving": 52, "static": 26},
      "3": {"moving": 52, "static": 50}
    },
    "minimumBaht": 200
  }',
  '{
    "landBuilding": {"surchargePercentPerMonth": 1, "penaltyPercent": 40},
    "sign": {"surchargePercentPerMonth": 2, "penaltyPercent": 0, "lateFilingPercent": 10, "understatementPercent": 10}
  }',
  '{"minimumBaht": 3000, "count": 3}',
  0,
  'Royal Decree on Land and Building Tax rates (Act B.E. 2562); Ministerial Regulation on signboard tax rates B.E. 2563. Demo defaults: check them against the ordinance of the municipality',
  'migration 0015'
);
