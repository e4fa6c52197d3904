-- Buildings and signboards are imported too. A building carries its number on the parcel (the house
-- number, or the building's label on the survey), so a repeated import row is recognised.
ALTER TABLE tax_imports DROP CONSTRAINT tax_imports_kind_check;
ALTER TABLE tax_imports ADD CONSTRAINT tax_imports_kind_check CHECK (kind IN ('parcels', 'buildings', 'signs'));
ALTER TABLE tax_buildings ADD COLUMN building_no text CHECK (length(building_no) BETWEEN 1 AND 50);
CREATE UNIQUE INDEX tax_buildings_no_key ON tax_buildings (parcel_id, building_no) WHERE building_no IS NOT NULL;
