-- The assessment reads the register in (owner, parcel) order so that an owner's parcels are assessed
-- together (the s.40 agricultural and s.41 main-home exemptions are once per owner). This index
-- serves that keyset paging and every lookup by owner, so the owner-only index is no longer needed.
CREATE INDEX tax_parcels_owner_id_idx ON tax_parcels (owner_id, id);
DROP INDEX tax_parcels_owner_idx;
