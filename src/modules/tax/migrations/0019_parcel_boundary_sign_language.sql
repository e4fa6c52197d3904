-- A parcel may carry its outline as well as its point (issue 7: "point or polygon"). Stored as a
-- MultiPolygon in WGS 84 whatever was sent (a Polygon is one part); the point stays, and is the
-- outline's point-on-surface when only an outline is given.
ALTER TABLE tax_parcels ADD COLUMN boundary geometry(MultiPolygon, 4326) CHECK (boundary IS NULL OR ST_IsValid(boundary));
CREATE INDEX tax_parcels_boundary_idx ON tax_parcels USING gist (boundary);

-- A signboard's text language, as the Signboard Tax Act B.E. 2510 (s. 6) defines the three types:
-- type 1 Thai letters only; type 2 Thai mixed with foreign letters and/or pictures or marks; type 3
-- no Thai letters, or Thai letters below the foreign ones. The language decides the type one to one,
-- so it is kept beside the type and can never disagree with it (every writer of sign_type, old or
-- new, gets it right without knowing of this column).
ALTER TABLE tax_signs ADD COLUMN text_language text GENERATED ALWAYS AS (
  CASE sign_type WHEN 1 THEN 'thai-only' WHEN 2 THEN 'thai-mixed' WHEN 3 THEN 'no-thai-or-thai-below' END
) STORED;
