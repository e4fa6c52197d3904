-- The rates of each tax year as data (issue 7): the ordinance's land and building bands, the signboard
-- rates, the late rules and the instalment rule, edited by finance staff (rate-years.ts checks them
-- against the law). A year with bills is frozen by the API, not here, so a correction by hand stays possible.
-- The JSON keys are the API's (camelCase), so a record travels to and from the screen unchanged.
-- No row is written here: a restore needs every table empty after the migrations (core/db/backup.ts).
-- The demo seed and the benchmark write 2569 from rates.ts (`seedDefaultRates`); an installation
-- enters its ordinance's rates on /tax/rates, starting from those defaults.
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
