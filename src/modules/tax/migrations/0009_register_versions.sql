-- Staff edit the register from the screens: each parcel, building and sign carries a version, raised
-- by every edit, so an edit made from a stale copy is refused instead of overwriting a newer one.
ALTER TABLE tax_parcels ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE tax_buildings ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE tax_signs ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
