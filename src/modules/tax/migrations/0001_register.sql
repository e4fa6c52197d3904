-- Local taxes: the register (owners, parcels, buildings, signboards), bills and payments.
CREATE TABLE tax_owners (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('person', 'juristic')),
  -- A person's 13-digit national ID or a juristic person's 13-digit tax ID (checked by the service).
  tax_id text NOT NULL UNIQUE CHECK (tax_id ~ '^[0-9]{13}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  address text,
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tax_parcels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id uuid NOT NULL REFERENCES tax_owners (id),
  deed_kind text NOT NULL CHECK (deed_kind IN ('chanote', 'ns3k', 'ns3', 'other')),
  deed_no text NOT NULL,
  area_m2 numeric(14, 2) NOT NULL CHECK (area_m2 > 0),
  value_per_m2 numeric(14, 2) NOT NULL CHECK (value_per_m2 >= 0),
  uses jsonb NOT NULL,
  location geometry(Point, 4326),
  zone_code text,
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (deed_kind, deed_no)
);
CREATE INDEX tax_parcels_owner_idx ON tax_parcels (owner_id);
CREATE INDEX tax_parcels_location_idx ON tax_parcels USING gist (location);

CREATE TABLE tax_buildings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parcel_id uuid NOT NULL REFERENCES tax_parcels (id) ON DELETE CASCADE,
  kind text NOT NULL,
  floor_area_m2 numeric(12, 2) NOT NULL CHECK (floor_area_m2 > 0),
  cost_per_m2 numeric(12, 2) NOT NULL CHECK (cost_per_m2 >= 0),
  age_years integer NOT NULL CHECK (age_years >= 0),
  depreciation_percent numeric(5, 2) NOT NULL CHECK (depreciation_percent BETWEEN 0 AND 100)
);
CREATE INDEX tax_buildings_parcel_idx ON tax_buildings (parcel_id);

CREATE TABLE tax_signs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id uuid NOT NULL REFERENCES tax_owners (id),
  width_cm numeric(8, 1) NOT NULL CHECK (width_cm > 0),
  height_cm numeric(8, 1) NOT NULL CHECK (height_cm > 0),
  sign_type smallint NOT NULL CHECK (sign_type IN (1, 2, 3)),
  moving boolean NOT NULL,
  text_content text,
  location geometry(Point, 4326),
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tax_signs_owner_idx ON tax_signs (owner_id);

-- Bills: one per subject and tax year; the number is what people and banks see (ref1).
CREATE SEQUENCE tax_bill_seq;
CREATE TABLE tax_bills (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number text NOT NULL UNIQUE,
  tax_year integer NOT NULL CHECK (tax_year BETWEEN 2560 AND 2700),
  tax_kind text NOT NULL CHECK (tax_kind IN ('land-building', 'sign')),
  owner_id uuid NOT NULL REFERENCES tax_owners (id),
  parcel_id uuid REFERENCES tax_parcels (id),
  sign_id uuid REFERENCES tax_signs (id),
  amount_satang bigint NOT NULL CHECK (amount_satang >= 0),
  working jsonb NOT NULL,
  -- 'nothing_due' when the working comes to 0 baht (e.g. a main home under the exemption): the owner
  -- still gets the assessment and its working.
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'nothing_due', 'paid', 'cancelled')),
  due_date date NOT NULL,
  paid_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((parcel_id IS NULL) <> (sign_id IS NULL))
);
CREATE UNIQUE INDEX tax_bills_subject_key ON tax_bills (tax_year, tax_kind, COALESCE(parcel_id, sign_id)) WHERE status <> 'cancelled';
CREATE INDEX tax_bills_owner_idx ON tax_bills (owner_id);

-- Every payment the bank reports, matched or not; the bank's transaction id makes it idempotent.
CREATE TABLE tax_payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bank_txn_id text NOT NULL UNIQUE,
  bill_number text,
  bill_id uuid REFERENCES tax_bills (id),
  amount_satang bigint NOT NULL,
  paid_at timestamptz NOT NULL,
  source text NOT NULL CHECK (source IN ('webhook', 'statement')),
  status text NOT NULL CHECK (status IN ('matched', 'unknown_bill', 'amount_mismatch', 'already_paid')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tax_payments_bill_matched_key ON tax_payments (bill_id) WHERE status = 'matched';
