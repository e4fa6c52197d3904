-- A bill paid after its due date is paid with the late surcharge and penalty of that day (late.ts).
-- Each matched payment records the part of its amount that was charges, and the bill keeps the
-- charges paid on it (all its instalments' together), so its receipt shows tax + charges = paid.
ALTER TABLE tax_payments
  ADD COLUMN surcharge_satang bigint NOT NULL DEFAULT 0 CHECK (surcharge_satang >= 0),
  ADD COLUMN penalty_satang bigint NOT NULL DEFAULT 0 CHECK (penalty_satang >= 0);
ALTER TABLE tax_bills
  ADD COLUMN surcharge_paid_satang bigint NOT NULL DEFAULT 0 CHECK (surcharge_paid_satang >= 0),
  ADD COLUMN penalty_paid_satang bigint NOT NULL DEFAULT 0 CHECK (penalty_paid_satang >= 0);
