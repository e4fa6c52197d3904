-- A land and building tax bill may be paid in instalments (the rule is data in rates.ts); each
-- instalment has its own number, so it is its own ref1 in the Thai QR and the bank's notice.
CREATE TABLE tax_instalments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  bill_id uuid NOT NULL REFERENCES tax_bills (id),
  seq smallint NOT NULL CHECK (seq BETWEEN 1 AND 12),
  number text NOT NULL UNIQUE,
  amount_satang bigint NOT NULL CHECK (amount_satang > 0),
  due_date date NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid')),
  paid_at timestamptz,
  UNIQUE (bill_id, seq)
);
