-- A building's kind is matched to the depreciation table's and the Treasury building appraisal's
-- building type (or code) by a normalised key, not by exact text: the register and the imported tables
-- are typed by different people in different programs. The key is
-- - Unicode NFKC, which also splits SARA AM (U+0E33) into NIKHAHIT + SARA AA, as it is often typed;
-- - NIKHAHIT typed before a tone mark put after it (น + ํ + ้ + า is น้ำ);
-- - zero-width spaces and joiners removed; Thai digits as Arabic digits;
-- - runs of white space as one space, trimmed, and lower case (Latin letters in a type or code).
-- Immutable, so it can be indexed; PostgreSQL inlines it into the assessment's lookups.
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

CREATE INDEX tax_depreciation_type_key_idx ON tax_depreciation (tax_type_key(building_type), age_from);
CREATE INDEX tax_building_costs_type_key_idx ON tax_building_costs (tax_type_key(building_type), first_year);
CREATE INDEX tax_building_costs_code_key_idx ON tax_building_costs (tax_type_key(code), first_year)
  WHERE code IS NOT NULL;
