-- How finance staff settled a bank payment that matched no bill or the wrong amount (payment-resolve.ts).
-- `status` stays what the bank's call found; `resolution` is the officer's decision, taken once:
--   matched   the payment pays `resolved_bill_id` in full;
--   overpaid  it pays the bill and `refund_satang` (the excess) goes back to the payer;
--   partial   it was less than the bill: recorded against the bill, which stays open, and refunded whole;
--   refund    returned to the payer without a bill;  not_ours  not a payment to the municipality.
ALTER TABLE tax_payments
  ADD COLUMN resolution text CHECK (resolution IN ('matched', 'overpaid', 'partial', 'refund', 'not_ours')),
  ADD COLUMN resolved_bill_id uuid REFERENCES tax_bills (id),
  ADD COLUMN refund_satang bigint CHECK (refund_satang >= 0),
  ADD COLUMN resolution_reason text CHECK (length(resolution_reason) BETWEEN 1 AND 1000),
  ADD COLUMN resolved_by uuid,
  ADD COLUMN resolved_at timestamptz,
  ADD CONSTRAINT tax_payments_resolution_shape CHECK (
    (resolution IS NULL AND resolved_at IS NULL AND resolved_bill_id IS NULL AND refund_satang IS NULL)
    OR (resolution IN ('matched', 'overpaid', 'partial') AND resolved_bill_id IS NOT NULL AND resolved_at IS NOT NULL)
    OR (resolution IN ('refund', 'not_ours') AND resolved_bill_id IS NULL AND resolution_reason IS NOT NULL
        AND resolved_at IS NOT NULL)
  );
-- A bill is paid by one resolution at most (the bank's own matches have their own index).
CREATE UNIQUE INDEX tax_payments_resolved_bill_key ON tax_payments (resolved_bill_id)
  WHERE resolution IN ('matched', 'overpaid');
-- The queue: what is neither matched by the bank nor resolved by staff.
CREATE INDEX tax_payments_queue_idx ON tax_payments (created_at DESC) WHERE status <> 'matched' AND resolution IS NULL;
