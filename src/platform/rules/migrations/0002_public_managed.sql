-- Rules whose alerts are public CAP warnings, and rules kept by a module rather than by staff.
ALTER TABLE rule_rules ADD COLUMN public boolean NOT NULL DEFAULT false;
ALTER TABLE rule_rules ADD COLUMN instruction_th text NOT NULL DEFAULT '' CHECK (length(instruction_th) <= 2000);
ALTER TABLE rule_rules ADD COLUMN instruction_en text NOT NULL DEFAULT '' CHECK (length(instruction_en) <= 2000);
-- e.g. 'flood:<station id>:warning': the module that owns the rule keeps it in sync by this key.
ALTER TABLE rule_rules ADD COLUMN managed_by text NULL CHECK (managed_by IS NULL OR length(managed_by) BETWEEN 1 AND 200);
CREATE UNIQUE INDEX rule_rules_managed_by ON rule_rules (managed_by) WHERE managed_by IS NOT NULL;
