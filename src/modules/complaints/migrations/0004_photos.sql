-- Photos of a request: the citizen's when filing ('report') and staff's when working it ('after',
-- tied to the status change or note they came with). The files are under
-- DATA_DIR/uploads/complaints with random names, re-encoded without metadata (src/core/media).
-- Not public: only the reporter and the staff who may read the whole request see them.
CREATE TABLE complaints_photos (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES complaints_requests (id) ON DELETE CASCADE,
  event_id bigint REFERENCES complaints_events (id) ON DELETE SET NULL,
  kind text NOT NULL CHECK (kind IN ('report', 'after')),
  file text NOT NULL UNIQUE CHECK (file ~ '^[0-9a-f-]{36}\.jpg$'),
  width integer NOT NULL CHECK (width BETWEEN 1 AND 100000),
  height integer NOT NULL CHECK (height BETWEEN 1 AND 100000),
  uploaded_by uuid REFERENCES core_users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX complaints_photos_request_idx ON complaints_photos (request_id, created_at, id);
