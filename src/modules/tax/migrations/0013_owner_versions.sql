-- Staff correct owners (name, address, kind, a mistyped tax ID) from the register screens: an owner
-- carries a version like the parcels, buildings and signs (0009), so a stale edit is refused.
ALTER TABLE tax_owners ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
