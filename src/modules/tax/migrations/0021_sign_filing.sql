-- Signboard Tax Act B.E. 2510 s.25 (issue 7): the surcharges for a ภ.ป.1 filed late or understated are
-- worked out from the filing itself (filing.ts), so what it said is kept beside what the register holds.
-- The day a new sign was put up (the ภ.ป.1 says): its owner has 15 days from it, when later than March.
ALTER TABLE tax_signs ADD COLUMN installed_on date;
-- Size, type and moving as the owner declared them; staff may correct the sign when accepting it, and
-- the year's bill charges the understatement on the difference.
ALTER TABLE tax_signs ADD COLUMN declared jsonb CHECK (declared IS NULL OR jsonb_typeof(declared) = 'object');
-- A sign staff found by inspection that was never declared for this tax year (B.E.): that year's bill
-- carries the full late-filing surcharge.
ALTER TABLE tax_signs ADD COLUMN unfiled_year integer CHECK (unfiled_year BETWEEN 2560 AND 2700);
UPDATE tax_signs SET declared = jsonb_build_object('widthCm', width_cm::float8, 'heightCm', height_cm::float8,
  'type', sign_type, 'moving', moving)
  WHERE declared_at IS NOT NULL;
-- The 5 % of s.25(1) for a ภ.ป.1 filed late but before staff told the owner; a year's record without it
-- would be refused (rate-rules.ts), so the records already written get the Act's figure.
UPDATE tax_rate_years SET late = jsonb_set(late, '{sign,lateFilingBeforeNoticePercent}', '5'::jsonb)
  WHERE jsonb_typeof(late -> 'sign') = 'object' AND NOT (late -> 'sign' ? 'lateFilingBeforeNoticePercent');
