-- A sign lies in a zone as a parcel does, so the reports give sign bills by zone too. The zone is
-- resolved from the sign's point when it is registered, imported, corrected or its ภ.ป.1 accepted;
-- the signs already registered take the zone their point lies in (OrgRepository.locate's rule: the
-- zone covering the point, the lowest code if zones overlap). A sign without a point has no zone.
ALTER TABLE tax_signs ADD COLUMN zone_code text;
UPDATE tax_signs s SET zone_code = (
  SELECT z.code FROM core_zones z WHERE ST_Covers(z.geom, s.location) ORDER BY z.code LIMIT 1
) WHERE s.location IS NOT NULL;
