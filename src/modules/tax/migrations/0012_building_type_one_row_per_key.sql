-- A depreciation or building-cost row per normalised type key (0011), not per exact text: two imported
-- types that differed only in what tax_type_key ignores (spacing, SARA AM typed in two characters, Thai
-- digits…) were two rows, and the assessment took either of them for a building of that kind. Importing
-- such a type again now replaces the row (and its spelling) instead of adding one.
-- Rows that already share a key: the one created last stays (then the greater id, to be deterministic).
DELETE FROM tax_depreciation d USING tax_depreciation k
  WHERE d.type_key = k.type_key AND d.age_from = k.age_from AND (d.created_at, d.id) < (k.created_at, k.id);
ALTER TABLE tax_depreciation DROP CONSTRAINT tax_depreciation_building_type_age_from_key;
DROP INDEX tax_depreciation_type_key_idx;
ALTER TABLE tax_depreciation ADD CONSTRAINT tax_depreciation_type_key_age_from_key UNIQUE (type_key, age_from);

DELETE FROM tax_building_costs d USING tax_building_costs k
  WHERE d.first_year = k.first_year AND d.last_year = k.last_year AND d.type_key = k.type_key
    AND (d.created_at, d.id) < (k.created_at, k.id);
ALTER TABLE tax_building_costs DROP CONSTRAINT tax_building_costs_first_year_last_year_building_type_key;
ALTER TABLE tax_building_costs
  ADD CONSTRAINT tax_building_costs_round_type_key_key UNIQUE (first_year, last_year, type_key);
