-- The reminder (หนังสือแจ้งเตือน, Land and Building Tax Act B.E. 2562 s.61) a municipality sends for a
-- bill past due. Its penalty then depends on the day it is paid (s.68–69): before a reminder 10 %,
-- within the time it sets 20 %, after it 40 % (the percentages are the year's record, late.ts).
-- One reminder a bill: its deadline is the one the law's reduction refers to.
CREATE TABLE tax_bill_reminders (
  bill_id uuid PRIMARY KEY REFERENCES tax_bills (id) ON DELETE CASCADE,
  sent_on date NOT NULL,
  deadline date NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  sent_by uuid REFERENCES core_users (id) ON DELETE SET NULL,
  sent_by_label text,
  CHECK (deadline > sent_on)
);

-- Records written before these rules get the law's figures (a record's own keys win), so every
-- year's late rules and instalment rules have the same shape for the code that reads them.
UPDATE tax_rate_years
  SET late = jsonb_set(late, '{landBuilding}',
    '{"penaltyBeforeReminderPercent": 10, "penaltyWithinReminderPercent": 20}'::jsonb || (late -> 'landBuilding'))
  WHERE jsonb_typeof(late -> 'landBuilding') = 'object';
UPDATE tax_rate_years
  SET instalments = instalments || '{"sign": {"minimumBaht": 3000, "count": 3}}'::jsonb
  WHERE NOT instalments ? 'sign';
