-- SLA in working hours, escalation, rating, reopening, merging and forwarding.

-- Public holidays on which no SLA time runs (Bangkok calendar dates); staff keep the list.
CREATE TABLE complaints_holidays (
  day date PRIMARY KEY,
  name_th text NOT NULL CHECK (length(name_th) BETWEEN 1 AND 200),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  -- Where the date comes from (an announcement, a URL), so a reader can check it.
  source text CHECK (length(source) <= 500),
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE complaints_requests
  -- When the category's working-hours SLA runs out; set at creation, pushed back by time on hold.
  ADD COLUMN due_at timestamptz,
  ADD COLUMN hold_started_at timestamptz,
  -- Set once, by the sweep, when an open request passed due_at.
  ADD COLUMN escalated_at timestamptz,
  ADD COLUMN resolved_at timestamptz,
  ADD COLUMN rating smallint CHECK (rating BETWEEN 1 AND 5),
  ADD COLUMN rating_comment text CHECK (length(rating_comment) <= 2000),
  ADD COLUMN rated_at timestamptz,
  ADD COLUMN reopened_count integer NOT NULL DEFAULT 0,
  -- A duplicate ends closed and points to the request that was kept.
  ADD COLUMN merged_into uuid REFERENCES complaints_requests (id),
  -- The outside agency a forwarded request went to.
  ADD COLUMN forwarded_to text CHECK (length(forwarded_to) BETWEEN 1 AND 200);
CREATE INDEX complaints_requests_due_idx ON complaints_requests (due_at)
  WHERE escalated_at IS NULL AND status IN ('received', 'accepted', 'in_progress', 'forwarded');
CREATE INDEX complaints_requests_resolved_idx ON complaints_requests (resolved_at) WHERE status = 'resolved';

ALTER TABLE complaints_events DROP CONSTRAINT IF EXISTS complaints_events_kind_check;
ALTER TABLE complaints_events ADD CONSTRAINT complaints_events_kind_check CHECK (kind IN
  ('created', 'status', 'note', 'reassigned', 'priority', 'escalated', 'rated', 'reopened', 'merged', 'forwarded'));
