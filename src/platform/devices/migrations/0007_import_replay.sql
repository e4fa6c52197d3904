-- CSV imports of devices, watched by the operator who started them: progress and a per-row error report.
CREATE TABLE dev_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  started_by uuid,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
  total integer NOT NULL,
  processed integer NOT NULL DEFAULT 0,
  imported integer NOT NULL DEFAULT 0,
  -- [{row, column, message}]: row is the line in the file (the header is line 1).
  errors jsonb NOT NULL DEFAULT '[]',
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

-- A replayed dead letter is kept for audit: who replayed it and when; failed replays count attempts.
ALTER TABLE dev_dead_letters
  ADD COLUMN replayed_at timestamptz,
  ADD COLUMN replayed_by uuid,
  ADD COLUMN replay_attempts integer NOT NULL DEFAULT 0;
CREATE INDEX dev_dead_letters_dev_eui_idx ON dev_dead_letters (dev_eui);
CREATE INDEX dev_dead_letters_reason_idx ON dev_dead_letters (reason, received_at DESC);
