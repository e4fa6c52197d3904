-- Every reading, partitioned by month of observation. One row per (device, time, quantity): a
-- redelivered or duplicated uplink carries the same time and is dropped by the unique key.
CREATE TABLE dev_readings (
  device_id uuid NOT NULL REFERENCES dev_devices (id) ON DELETE CASCADE,
  observed_at timestamptz NOT NULL,
  quantity text NOT NULL,
  value double precision NOT NULL,
  f_cnt bigint,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (device_id, observed_at, quantity)
) PARTITION BY RANGE (observed_at);
CREATE INDEX dev_readings_time_brin ON dev_readings USING brin (observed_at);
CREATE TABLE dev_readings_default PARTITION OF dev_readings DEFAULT;

-- A month's partition, created when missing; rows that already landed in DEFAULT for that month move
-- in first. Called at start for this month and the next (as the context broker does for its history).
CREATE FUNCTION dev_ensure_readings_partition(month date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  start date := date_trunc('month', month)::date;
  stop date := (date_trunc('month', month) + interval '1 month')::date;
  name text := 'dev_readings_' || to_char(start, 'YYYY_MM');
BEGIN
  IF to_regclass(name) IS NOT NULL THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE dev_readings INCLUDING DEFAULTS)', name);
  EXECUTE format('WITH moved AS (DELETE FROM dev_readings_default WHERE observed_at >= %L AND observed_at < %L RETURNING *)
    INSERT INTO %I SELECT * FROM moved', start, stop, name);
  EXECUTE format('ALTER TABLE dev_readings ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, start, stop);
EXCEPTION WHEN duplicate_table THEN
  NULL;
END $$;

SELECT dev_ensure_readings_partition(now()::date);
SELECT dev_ensure_readings_partition((now() + interval '1 month')::date);

-- Messages that could not be parsed, belong to no known device, or could not be decoded.
CREATE TABLE dev_dead_letters (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  topic text NOT NULL,
  payload bytea NOT NULL,
  reason text NOT NULL,
  detail text,
  dev_eui text,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dev_dead_letters_received_idx ON dev_dead_letters (received_at DESC);
