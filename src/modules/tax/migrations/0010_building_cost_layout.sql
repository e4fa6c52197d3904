-- The Treasury's building appraisal as it publishes it for a round (บัญชีราคาประเมินทุนทรัพย์
-- โรงเรือนสิ่งปลูกสร้าง): รหัส, the code of the type (100, 400, 506/1 …); ประเภทสิ่งปลูกสร้าง, the
-- type (kept in building_type); ราคา, baht per m²; หมายเหตุ, a note (e.g. which area counts). The
-- type's English name is ours, for the English screens and working. A code names one type in a round,
-- so a building may be registered by the code as well as by the type.
ALTER TABLE tax_building_costs
  ADD COLUMN building_type_en text CHECK (length(building_type_en) BETWEEN 1 AND 200),
  ADD COLUMN note text CHECK (length(note) BETWEEN 1 AND 500);
CREATE UNIQUE INDEX tax_building_costs_code_key ON tax_building_costs (first_year, last_year, code)
  WHERE code IS NOT NULL;
CREATE INDEX tax_building_costs_code_idx ON tax_building_costs (code, first_year) WHERE code IS NOT NULL;
