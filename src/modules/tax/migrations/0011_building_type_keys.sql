-- A building's kind is matched to the depreciation table's and the Treasury building appraisal's
-- building type (or code) by a normalised key, not by exact text: the register and the imported tables
-- are typed by different people in different programs. The key is
-- - Unicode NFKC, which also splits SARA AM (U+0E33) into NIKHAHIT + SARA AA, as it is often typed;
-- - NIKHAHIT typed before a tone mark put after it (น + ํ + ้ + า is น้ำ);
-- - zero-width spaces and joiners removed; Thai digits as Arabic digits;
-- - runs of white space as one space, trimmed, and lower case (Latin letters in a type or code).
-- Immutable, so stored generated columns hold it: the assessment compares plain columns and computes
-- no key per building (the regular expressions cost tens of microseconds a call on PGlite).
CREATE FUNCTION tax_type_key(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT lower(btrim(regexp_replace(
    translate(
      regexp_replace(
        regexp_replace(normalize(t, NFKC), '[\u200B-\u200D\u2060\uFEFF]', '', 'g'),
        '\u0E4D([\u0E48-\u0E4B])', '\1' || chr(3661), 'g'),
      '๐๑๒๓๔๕๖๗๘๙', '0123456789'),
    '\s+', ' ', 'g')))
$$;

ALTER TABLE tax_buildings ADD COLUMN kind_key text GENERATED ALWAYS AS (tax_type_key(kind)) STORED;
ALTER TABLE tax_depreciation ADD COLUMN type_key text GENERATED ALWAYS AS (tax_type_key(building_type)) STORED;
ALTER TABLE tax_building_costs
  ADD COLUMN type_key text GENERATED ALWAYS AS (tax_type_key(building_type)) STORED,
  ADD COLUMN code_key text GENERATED ALWAYS AS (tax_type_key(code)) STORED;

CREATE INDEX tax_depreciation_type_key_idx ON tax_depreciation (type_key, age_from);
CREATE INDEX tax_building_costs_type_key_idx ON tax_building_costs (type_key, first_year);
CREATE INDEX tax_building_costs_code_key_idx ON tax_building_costs (code_key, first_year) WHERE code_key IS NOT NULL;
