-- Alerts of every module: raised by a rule on readings/entities or by staff (a public warning),
-- acknowledged, resolved. Public ones are published as CAP 1.2 messages (src/platform/alerts/cap.ts).
CREATE TABLE alert_alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source text NOT NULL CHECK (source IN ('rule', 'manual')),
  rule_id text NULL CHECK (rule_id IS NULL OR length(rule_id) BETWEEN 1 AND 200),
  -- What the alert is about: a device or entity id, a zone code, or 'city'.
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  -- The owning office; office-bound staff act only on their office's alerts. NULL: city-wide (admins).
  office_id uuid NULL REFERENCES core_offices (id),
  public boolean NOT NULL DEFAULT false,
  category text NOT NULL CHECK (category IN ('geo', 'met', 'safety', 'security', 'rescue', 'fire', 'health', 'env', 'transport', 'infra', 'cbrne', 'other')),
  urgency text NOT NULL CHECK (urgency IN ('immediate', 'expected', 'future', 'past', 'unknown')),
  severity text NOT NULL CHECK (severity IN ('extreme', 'severe', 'moderate', 'minor', 'unknown')),
  certainty text NOT NULL CHECK (certainty IN ('observed', 'likely', 'possible', 'unlikely', 'unknown')),
  event_th text NOT NULL CHECK (length(event_th) BETWEEN 1 AND 200),
  event_en text NOT NULL CHECK (length(event_en) BETWEEN 1 AND 200),
  headline_th text NOT NULL CHECK (length(headline_th) BETWEEN 1 AND 200),
  headline_en text NOT NULL CHECK (length(headline_en) BETWEEN 1 AND 200),
  description_th text NOT NULL DEFAULT '' CHECK (length(description_th) <= 4000),
  description_en text NOT NULL DEFAULT '' CHECK (length(description_en) <= 4000),
  instruction_th text NOT NULL DEFAULT '' CHECK (length(instruction_th) <= 2000),
  instruction_en text NOT NULL DEFAULT '' CHECK (length(instruction_en) <= 2000),
  area_desc_th text NOT NULL DEFAULT '' CHECK (length(area_desc_th) <= 500),
  area_desc_en text NOT NULL DEFAULT '' CHECK (length(area_desc_en) <= 500),
  -- The area: a polygon drawn for this alert, or a municipal zone by reference (or neither for an
  -- internal alert about a device; a public warning needs one).
  area geometry(Polygon, 4326) NULL CHECK (area IS NULL OR ST_IsValid(area)),
  zone_id uuid NULL REFERENCES core_zones (id),
  status text NOT NULL DEFAULT 'raised' CHECK (status IN ('raised', 'acknowledged', 'resolved')),
  raised_at timestamptz NOT NULL DEFAULT now(),
  raised_by uuid NULL,
  acknowledged_at timestamptz NULL,
  acknowledged_by uuid NULL,
  resolved_at timestamptz NULL,
  resolved_by uuid NULL,
  resolution_note text NOT NULL DEFAULT '' CHECK (length(resolution_note) <= 2000),
  expires_at timestamptz NULL,
  -- The public CAP message history: version 1 is the Alert, later versions Update or Cancel;
  -- cap_sent is when the current version was sent; cap_refs the earlier messages (sender,id,sent).
  cap_version integer NOT NULL DEFAULT 1 CHECK (cap_version >= 1),
  cap_sent timestamptz NOT NULL DEFAULT now(),
  cap_refs jsonb NOT NULL DEFAULT '[]'::jsonb,
  CHECK ((source = 'rule') = (rule_id IS NOT NULL)),
  CHECK (NOT public OR area IS NOT NULL OR zone_id IS NOT NULL),
  CHECK ((status = 'raised') OR acknowledged_at IS NOT NULL OR resolved_at IS NOT NULL),
  CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
-- One open alert per rule and subject: a rule that keeps firing does not pile up duplicates.
CREATE UNIQUE INDEX alert_alerts_open_rule_subject ON alert_alerts (rule_id, subject)
  WHERE rule_id IS NOT NULL AND status <> 'resolved';
CREATE INDEX alert_alerts_status_idx ON alert_alerts (status, raised_at DESC);
CREATE INDEX alert_alerts_public_idx ON alert_alerts (cap_sent DESC) WHERE public;
CREATE INDEX alert_alerts_office_idx ON alert_alerts (office_id, raised_at DESC);
