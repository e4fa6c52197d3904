-- Rollups of readings per (device, quantity, bucket) at three resolutions, kept up to date in the
-- transaction that inserts the readings (see rollups.ts). avg = sum / count; "last" is the value with
-- the latest observed time, not the latest to arrive. Buckets are labelled by their start: 5 minutes and
-- hours in UTC, days on the Asia/Bangkok calendar (UTC+7 all year; a day starts at 17:00 UTC).
CREATE TABLE dev_rollups_5m (
  device_id uuid NOT NULL REFERENCES dev_devices (id) ON DELETE CASCADE,
  quantity text NOT NULL,
  bucket timestamptz NOT NULL,
  count bigint NOT NULL CHECK (count > 0),
  min double precision NOT NULL,
  max double precision NOT NULL,
  sum double precision NOT NULL,
  last_value double precision NOT NULL,
  last_at timestamptz NOT NULL,
  PRIMARY KEY (device_id, quantity, bucket)
);
CREATE TABLE dev_rollups_1h (LIKE dev_rollups_5m INCLUDING ALL);
ALTER TABLE dev_rollups_1h ADD FOREIGN KEY (device_id) REFERENCES dev_devices (id) ON DELETE CASCADE;
CREATE TABLE dev_rollups_1d (LIKE dev_rollups_5m INCLUDING ALL);
ALTER TABLE dev_rollups_1d ADD FOREIGN KEY (device_id) REFERENCES dev_devices (id) ON DELETE CASCADE;
-- Retention sweeps by time across all devices.
CREATE INDEX dev_rollups_5m_bucket_brin ON dev_rollups_5m USING brin (bucket);
CREATE INDEX dev_rollups_1h_bucket_brin ON dev_rollups_1h USING brin (bucket);
CREATE INDEX dev_rollups_1d_bucket_brin ON dev_rollups_1d USING brin (bucket);

-- How long a profile's devices keep raw readings and rollups, in days; NULL keeps them forever.
-- Raw readings for about 13 months (a year-on-year comparison), rollups for 5 years.
ALTER TABLE dev_profiles
  ADD COLUMN raw_retention_days integer DEFAULT 400 CHECK (raw_retention_days BETWEEN 1 AND 36500),
  ADD COLUMN rollup_retention_days integer DEFAULT 1830 CHECK (rollup_retention_days BETWEEN 1 AND 36500);

-- Readings stored before rollups existed.
INSERT INTO dev_rollups_5m (device_id, quantity, bucket, count, min, max, sum, last_value, last_at)
SELECT device_id, quantity, date_bin('5 minutes', observed_at, timestamptz '2000-01-01 00:00:00+00'),
  count(*), min(value), max(value), sum(value),
  (array_agg(value ORDER BY observed_at DESC))[1], max(observed_at)
FROM dev_readings GROUP BY 1, 2, 3;
INSERT INTO dev_rollups_1h (device_id, quantity, bucket, count, min, max, sum, last_value, last_at)
SELECT device_id, quantity, date_trunc('hour', observed_at, 'UTC'),
  count(*), min(value), max(value), sum(value),
  (array_agg(value ORDER BY observed_at DESC))[1], max(observed_at)
FROM dev_readings GROUP BY 1, 2, 3;
INSERT INTO dev_rollups_1d (device_id, quantity, bucket, count, min, max, sum, last_value, last_at)
SELECT device_id, quantity, date_trunc('day', observed_at, 'Asia/Bangkok'),
  count(*), min(value), max(value), sum(value),
  (array_agg(value ORDER BY observed_at DESC))[1], max(observed_at)
FROM dev_readings GROUP BY 1, 2, 3;
