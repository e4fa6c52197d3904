-- The hour and day rollups are no longer upserted by every ingest batch: a batch upserts the 5-minute
-- rollups only, marking each row it touches `dirty`, and a periodic fold (rollup-fold.ts) recomputes
-- the hour and day buckets that hold a dirty 5-minute row from the 5-minute level, then clears the mark,
-- in one transaction. Until then, reads of those buckets aggregate the 5-minute rows themselves.
ALTER TABLE dev_rollups_5m ADD COLUMN dirty boolean NOT NULL DEFAULT false;
-- Small: only rows not folded yet. In the order both the fold and the ingest lock rows.
CREATE INDEX dev_rollups_5m_dirty_idx ON dev_rollups_5m (device_id, quantity, bucket) WHERE dirty;

-- One row, made by the first fold (a restore needs empty tables): serialises folds across processes
-- (it is locked for a fold's whole transaction) and says when the last one ran and what it did.
CREATE TABLE dev_rollup_fold (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  folded_at timestamptz,
  rows_folded bigint NOT NULL DEFAULT 0
);
