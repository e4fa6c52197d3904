-- Signboards declared by their owners (ภ.ป.1) wait for an officer to accept them into the register;
-- only registered signs are assessed. Photos are files under DATA_DIR/uploads/tax.
ALTER TABLE tax_signs ADD COLUMN status text NOT NULL DEFAULT 'registered' CHECK (status IN ('declared', 'registered', 'rejected'));
ALTER TABLE tax_signs ADD COLUMN declared_by uuid;
ALTER TABLE tax_signs ADD COLUMN photos jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE tax_signs ADD COLUMN declared_at timestamptz;
