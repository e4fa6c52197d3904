-- Declarative rules on sensor readings (src/platform/rules). A rule watches one quantity on the
-- devices in its scope; each device is a subject with its own evaluation state and at most one open alert.
CREATE TABLE rule_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name_th text NOT NULL CHECK (length(name_th) BETWEEN 1 AND 200),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  office_id uuid NULL REFERENCES core_offices (id),
  enabled boolean NOT NULL DEFAULT true,
  scope_kind text NOT NULL CHECK (scope_kind IN ('device', 'profile', 'zone', 'city')),
  -- The device or profile id, or the zone code; NULL for the city.
  scope_ref text NULL CHECK ((scope_kind = 'city') = (scope_ref IS NULL)),
  quantity text NOT NULL CHECK (quantity ~ '^[A-Za-z][A-Za-z0-9_]{0,63}$'),
  kind text NOT NULL CHECK (kind IN ('threshold', 'rate', 'noData', 'combination')),
  -- Validated by the API schema (src/platform/rules/model.ts); data, never code.
  params jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
  category text NOT NULL CHECK (category IN ('geo', 'met', 'safety', 'security', 'rescue', 'fire', 'health', 'env', 'transport', 'infra', 'cbrne', 'other')),
  urgency text NOT NULL CHECK (urgency IN ('immediate', 'expected', 'future', 'past', 'unknown')),
  severity text NOT NULL CHECK (severity IN ('extreme', 'severe', 'moderate', 'minor', 'unknown')),
  certainty text NOT NULL CHECK (certainty IN ('observed', 'likely', 'possible', 'unlikely', 'unknown')),
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rule_rules_office_idx ON rule_rules (office_id);
CREATE UNIQUE INDEX rule_rules_synthetic_name ON rule_rules (name_en) WHERE synthetic;

-- Where each (rule, subject) stands: kept in the database so a restart keeps durations, hysteresis and
-- rate windows. `state` is the engine's own JSON (src/platform/rules/engine.ts).
CREATE TABLE rule_state (
  rule_id uuid NOT NULL REFERENCES rule_rules (id) ON DELETE CASCADE,
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  firing boolean NOT NULL DEFAULT false,
  last_at timestamptz NULL,
  state jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rule_id, subject)
);
