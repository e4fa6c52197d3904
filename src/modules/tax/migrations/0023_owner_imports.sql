-- Owners can be imported on their own (kind, tax ID, name, address), before their parcels and signs.
ALTER TABLE tax_imports DROP CONSTRAINT tax_imports_kind_check;
ALTER TABLE tax_imports ADD CONSTRAINT tax_imports_kind_check
  CHECK (kind IN ('parcels', 'buildings', 'signs', 'appraisals', 'depreciation', 'building-costs', 'owners'));
