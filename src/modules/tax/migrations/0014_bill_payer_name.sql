-- The taxpayer's name as it stood when the bill was paid: the receipt (a document already issued)
-- keeps it when the owner's record is corrected later (register-edits.ts). Bills paid before this
-- migration take the name they show now, the best record there is.
ALTER TABLE tax_bills ADD COLUMN payer_name text CHECK (length(payer_name) BETWEEN 1 AND 300);
UPDATE tax_bills b SET payer_name = o.name FROM tax_owners o WHERE o.id = b.owner_id AND b.status = 'paid';
