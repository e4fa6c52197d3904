-- "You Pee" (อยู่พี่): citizen complaints and requests — categories, requests, their events, +1 supporters.
CREATE TABLE complaints_categories (
  code text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
  name_th text NOT NULL CHECK (length(name_th) BETWEEN 1 AND 200),
  name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
  description_th text,
  description_en text,
  -- A name from the web app's icon set (e.g. "road"), not a URL.
  icon text NOT NULL CHECK (icon ~ '^[a-z0-9-]{1,40}$'),
  office_id uuid NOT NULL REFERENCES core_offices (id),
  sla_hours integer NOT NULL CHECK (sla_hours BETWEEN 1 AND 8760),
  active boolean NOT NULL DEFAULT true,
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The readable reference KK-<B.E. year>-<6 digits> takes its number from this sequence.
CREATE SEQUENCE complaints_reference_seq;
CREATE TABLE complaints_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE CHECK (reference ~ '^KK-[0-9]{4}-[0-9]{6,}$'),
  -- Open311 clients may look a request up by this token as well as by its reference.
  token uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  category_code text NOT NULL REFERENCES complaints_categories (code),
  office_id uuid NOT NULL REFERENCES core_offices (id),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
  location geometry(Point, 4326) NOT NULL,
  zone_id uuid NOT NULL REFERENCES core_zones (id),
  community_id uuid REFERENCES core_communities (id),
  address text CHECK (length(address) <= 500),
  status text NOT NULL DEFAULT 'received' CHECK (status IN
    ('received', 'accepted', 'in_progress', 'forwarded', 'on_hold', 'resolved', 'rejected', 'closed')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  -- Personal data: never published, shown only to the reporter and to staff (audited).
  reporter_id uuid REFERENCES core_users (id),
  contact_name text CHECK (length(contact_name) <= 200),
  contact_email text CHECK (length(contact_email) <= 254),
  contact_phone text CHECK (contact_phone ~ '^0[0-9]{8,9}$'),
  source text NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'open311')),
  integrator_id uuid,
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  -- Someone must be reachable: an account, a contact, or the integrator that relayed the report.
  CHECK (reporter_id IS NOT NULL OR contact_email IS NOT NULL OR contact_phone IS NOT NULL OR source = 'open311')
);
CREATE INDEX complaints_requests_location_idx ON complaints_requests USING gist (location);
CREATE INDEX complaints_requests_queue_idx ON complaints_requests (office_id, status, created_at DESC);
CREATE INDEX complaints_requests_reporter_idx ON complaints_requests (reporter_id, created_at DESC);
CREATE INDEX complaints_requests_category_idx ON complaints_requests (category_code, created_at DESC);
CREATE INDEX complaints_requests_created_idx ON complaints_requests (created_at DESC);

-- What happened to a request, in order: state changes, notes (public or staff-internal), reassignments.
CREATE TABLE complaints_events (
  id bigserial PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES complaints_requests (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('created', 'status', 'note', 'reassigned', 'priority')),
  from_status text,
  to_status text,
  note text CHECK (length(note) <= 4000),
  public boolean NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  actor_id uuid REFERENCES core_users (id),
  actor_label text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX complaints_events_request_idx ON complaints_events (request_id, id);

-- "+1": a signed-in person supports an open request instead of filing a duplicate; once each.
CREATE TABLE complaints_supporters (
  request_id uuid NOT NULL REFERENCES complaints_requests (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES core_users (id),
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, user_id)
);
