-- Public map, list and statistics: moderation of the public text, and indexes for the public reads.

-- A request's description is shown publicly only once staff approved it (moderation = 'approved'),
-- as public_description: the automatically masked text (phones, emails, ID numbers, URLs) or a
-- staff-edited version. 'hidden' keeps the text private for good; the request still counts and
-- still appears on the map without text.
ALTER TABLE complaints_requests
  ADD COLUMN moderation text NOT NULL DEFAULT 'pending' CHECK (moderation IN ('pending', 'approved', 'hidden')),
  ADD COLUMN public_description text CHECK (length(public_description) BETWEEN 1 AND 4000),
  ADD COLUMN moderated_at timestamptz,
  ADD COLUMN moderated_by uuid REFERENCES core_users (id);
CREATE INDEX complaints_requests_moderation_idx ON complaints_requests (created_at) WHERE moderation = 'pending';
-- Public list filtered by zone or status, newest first.
CREATE INDEX complaints_requests_zone_idx ON complaints_requests (zone_id, created_at DESC);
CREATE INDEX complaints_requests_status_idx ON complaints_requests (status, created_at DESC);
