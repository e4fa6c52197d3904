-- An officer may refuse a declared signboard, saying why; the citizen sees the reason.
ALTER TABLE tax_signs ADD COLUMN review_note text CHECK (length(review_note) BETWEEN 1 AND 1000);
ALTER TABLE tax_signs ADD COLUMN reviewed_at timestamptz;
ALTER TABLE tax_signs ADD COLUMN reviewed_by uuid;
